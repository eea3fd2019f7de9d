"""Managed devices that stopped checking in."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.endpoint.common import device_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    cutoff = ctx.now - ctx.device_stale_after
    obs = [
        device_obs(
            d,
            "lastSyncDateTime",
            d.last_sync.isoformat() if d.last_sync else None,
            f"within {ctx.device_stale_after.days} days",
            False,
        )
        for d in view.managed_devices
        if d.last_sync is None or d.last_sync < cutoff
    ]
    return Result(tuple(obs), f"{len(obs)} devices silent for {ctx.device_stale_after.days}+ days")


CONTROL = Control(
    id="END-006v1",
    title="No stale managed devices",
    rationale=(
        "A device that no longer checks in gets no policy or patches but may still hold data and "
        "tokens."
    ),
    severity=Severity.LOW,
    area=ControlArea.ENDPOINT,
    csf=("ID.AM-01", "PR.PS-03"),
    requires=("managedDevices",),
    remediation=Remediation(
        portal=(
            "Intune admin center > Devices > Device clean-up rules: 30 days; retire or wipe the "
            "listed devices"
        ),
        command="POST https://graph.microsoft.com/v1.0/deviceManagement/managedDevices/{id}/retire",
    ),
    check=check,
)
