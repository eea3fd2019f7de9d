"""External sharing is limited to authenticated guests: no anonymous 'Anyone' links."""

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
        "externalUserSharingOnly or stricter",
        cap in ("disabled", "existingExternalUserSharingOnly", "externalUserSharingOnly"),
    )
    return Result((obs,), "no anonymous sharing links" if obs.ok else f"sharing allows {cap}")


CONTROL = Control(
    id="DAT-004v1",
    title="SharePoint and OneDrive do not allow 'Anyone' links",
    rationale=(
        "An 'Anyone' link works for whoever holds it, is forwarded freely and leaves no "
        "identity in the audit log."
    ),
    severity=Severity.HIGH,
    area=ControlArea.DATA_RECOVERY,
    csf=("PR.DS-01",),
    cis=("7.2.3",),
    scuba=(),
    requires=("sharepointSettings",),
    remediation=Remediation(
        portal=(
            "SharePoint admin center > Policies > Sharing > External sharing: New and existing "
            "guests (or stricter)"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/admin/sharepoint/settings "
            "{sharingCapability: 'externalUserSharingOnly'}"
        ),
    ),
    check=check,
)
