"""The OneDrive sync app runs only on devices joined to the organisation's domains."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.sharepoint_settings.unmanaged_sync_restricted
    obs = observe(
        "sharepointSettings",
        "sharepointSettings",
        "SharePoint settings",
        "isUnmanagedSyncAppForTenantRestricted",
        value,
        "true",
        value is True,
    )
    return Result(
        (obs,),
        "sync limited to managed devices" if obs.ok else "OneDrive syncs on unmanaged devices",
    )


CONTROL = Control(
    id="DAT-007v1",
    title="OneDrive sync is restricted to managed devices",
    rationale=(
        "Synced copies on unmanaged home computers are outside encryption, wipe and compliance."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.DATA_RECOVERY,
    csf=("PR.DS-01",),
    cis=(),
    scuba=(),
    requires=("sharepointSettings",),
    remediation=Remediation(
        portal=(
            "SharePoint admin center > Settings > OneDrive > Sync: Allow syncing only on "
            "computers joined to specific domains"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/admin/sharepoint/settings "
            "{isUnmanagedSyncAppForTenantRestricted: true, allowedDomainGuidsForSyncApp: [<AD "
            "domain GUID>]}"
        ),
    ),
    check=check,
)
