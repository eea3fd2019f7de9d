"""SharePoint and OneDrive refuse apps that use legacy authentication protocols."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.identity_settings import top_level_flag
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    raw = view.snapshot.items("sharepointSettings")
    value = top_level_flag(raw[0], "isLegacyAuthProtocolsEnabled") if raw else None
    obs = observe(
        "sharepointSettings",
        "sharepointSettings",
        "SharePoint settings",
        "isLegacyAuthProtocolsEnabled",
        value,
        "false",
        value is False,
    )
    return Result(
        (obs,),
        "legacy authentication is refused"
        if obs.ok
        else "SharePoint accepts legacy authentication",
    )


CONTROL = Control(
    id="DAT-008v1",
    title="SharePoint requires modern authentication",
    rationale=(
        "Legacy protocols accept a password alone, so MFA and Conditional Access do not "
        "protect the files."
    ),
    severity=Severity.HIGH,
    area=ControlArea.DATA_RECOVERY,
    csf=("PR.AA-03",),
    cis=("7.2.1",),
    scuba=(),
    requires=("sharepointSettings",),
    remediation=Remediation(
        portal=(
            "SharePoint admin center > Policies > Access control > Apps that don't use modern "
            "authentication: Block access"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/admin/sharepoint/settings "
            "{isLegacyAuthProtocolsEnabled: false}"
        ),
    ),
    check=check,
)
