"""SharePoint shares externally only with guests already in the directory (or not at all)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    cap = view.sharepoint_settings.sharing_capability
    obs = observe(
        "sharepointSettings",
        "sharepointSettings",
        "SharePoint settings",
        "sharingCapability",
        cap,
        "existingExternalUserSharingOnly or disabled",
        cap in ("disabled", "existingExternalUserSharingOnly"),
    )
    return Result(
        (obs,), "sharing limited to existing guests" if obs.ok else f"sharing allows {cap}"
    )


CONTROL = Control(
    id="DAT-005v1",
    title="SharePoint external sharing is limited to existing guests",
    rationale=(
        "Sharing with new guests by email invites anyone in; existing-guests-only keeps "
        "invitations under the guest-invite policy."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.DATA_RECOVERY,
    csf=("PR.DS-01",),
    cis=(),
    scuba=("MS.SHAREPOINT.1.1v1",),
    requires=("sharepointSettings",),
    remediation=Remediation(
        portal="SharePoint admin center > Policies > Sharing > External sharing: Existing guests",
        command=(
            "PATCH https://graph.microsoft.com/v1.0/admin/sharepoint/settings "
            "{sharingCapability: 'existingExternalUserSharingOnly'}"
        ),
    ),
    check=check,
)
