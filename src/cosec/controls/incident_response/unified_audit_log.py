"""The unified audit log is collecting (the source of every investigation)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.admin_audit_config.unified_audit_log_ingestion
    obs = observe(
        "adminAuditLogConfig",
        "adminAuditLogConfig",
        "Admin audit log config",
        "UnifiedAuditLogIngestionEnabled",
        value,
        "true",
        value is True,
    )
    return Result((obs,), "unified audit log " + ("on" if value else "off"))


CONTROL = Control(
    id="IR-001v1",
    title="Unified audit log is on",
    rationale="Without it there is no record of who did what, and no investigation.",
    severity=Severity.CRITICAL,
    area=ControlArea.INCIDENT_RESPONSE,
    csf=("PR.PS-04", "DE.CM-03"),
    cis=("3.1.1",),
    scuba=("MS.SECURITYSUITE.5.1v1", "MS.EXO.17.1v1"),
    requires=("adminAuditLogConfig",),
    remediation=Remediation(
        portal="Microsoft Purview portal > Audit > Start recording user and admin activity",
        command="Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true",
    ),
    check=check,
)
