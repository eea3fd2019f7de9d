"""Windows and macOS devices have their disks encrypted."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.endpoint.common import DESKTOP, device_obs, platform
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    desktops = [d for d in view.managed_devices if platform(d) in DESKTOP]
    obs = [
        device_obs(d, "isEncrypted", d.encrypted, "true", False)
        for d in desktops
        if d.encrypted is not True
    ]
    return Result(tuple(obs), f"{len(desktops) - len(obs)} of {len(desktops)} desktops encrypted")


CONTROL = Control(
    id="END-005v1",
    title="Disk encryption is on",
    rationale="A lost laptop without BitLocker or FileVault is a data breach.",
    severity=Severity.HIGH,
    area=ControlArea.ENDPOINT,
    csf=("PR.DS-01",),
    requires=("managedDevices",),
    remediation=Remediation(
        portal=(
            "Intune admin center > Endpoint security > Disk encryption > Create policy (BitLocker "
            "/ FileVault)"
        ),
        command=(
            "Intune: Endpoint security > Disk encryption > BitLocker: Require device encryption = "
            "Enabled"
        ),
    ),
    check=check,
)
