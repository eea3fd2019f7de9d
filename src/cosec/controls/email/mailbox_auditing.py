"""Mailbox auditing is on organisation-wide and not switched off on any mailbox."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    disabled = view.organization_config.audit_disabled
    obs = [
        observe(
            "organizationConfig",
            "organizationConfig",
            "Organization config",
            "AuditDisabled",
            disabled,
            "false",
            disabled is False,
        )
    ]
    for mb in view.mailboxes:
        if mb.audit_enabled is False:
            obs.append(
                Observation(
                    ObjectRef("mailboxes", mb.id, mb.upn or mb.identity),
                    "AuditEnabled",
                    False,
                    "true",
                    False,
                )
            )
    return Result(tuple(obs), f"{sum(not o.ok for o in obs)} auditing gaps")


CONTROL = Control(
    id="EML-010v1",
    title="Mailbox auditing is on",
    rationale="Without MailItemsAccessed and friends nobody can tell what an intruder read.",
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("PR.PS-04", "DE.CM-03"),
    cis=("6.1.1",),
    scuba=("MS.EXO.13.1v1",),
    requires=("organizationConfig", "mailboxes"),
    remediation=Remediation(
        portal="(PowerShell only)",
        command=(
            "Set-OrganizationConfig -AuditDisabled $false; Set-Mailbox -Identity <upn> "
            "-AuditEnabled $true"
        ),
    ),
    check=check,
)
