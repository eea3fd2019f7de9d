"""External users cannot share items they do not own."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.sharepoint_settings.resharing_by_external_users
    obs = observe(
        "sharepointSettings",
        "sharepointSettings",
        "SharePoint settings",
        "isResharingByExternalUsersEnabled",
        value,
        "false",
        value is False,
    )
    return Result((obs,), "guests cannot reshare" if obs.ok else "guests may reshare items")


CONTROL = Control(
    id="DAT-006v1",
    title="Guests cannot reshare what was shared with them",
    rationale=(
        "Resharing by guests moves the organisation's files one hop further from anyone who "
        "decided to share them."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.DATA_RECOVERY,
    csf=("PR.DS-01",),
    cis=(),
    scuba=(),
    requires=("sharepointSettings",),
    remediation=Remediation(
        portal=(
            "SharePoint admin center > Policies > Sharing > More external sharing settings: "
            "clear 'Allow guests to share items they don't own'"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/admin/sharepoint/settings "
            "{isResharingByExternalUsersEnabled: false}"
        ),
    ),
    check=check,
)
