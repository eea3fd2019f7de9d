"""Devices run at least the OS version of the patch baseline for their platform."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed
from cosec.controls.context import AssessmentContext
from cosec.controls.endpoint.common import device_obs
from cosec.model.derived.patch import PatchStatus, floor_for, patch_status
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if not ctx.patch_baseline:
        return not_assessed("no patch_baseline in cosec.yaml")
    obs = []
    checked = 0
    for d in view.managed_devices:
        status = patch_status(d.operating_system, d.os_version, ctx.patch_baseline)
        if not status.judged:
            continue
        checked += 1
        minimum = floor_for(d.operating_system, ctx.patch_baseline)
        if status is PatchStatus.UNREADABLE:
            obs.append(
                device_obs(
                    d, "osVersion", d.os_version, f">= {minimum} (unreadable version)", False
                )
            )
        elif status is PatchStatus.BELOW:
            obs.append(device_obs(d, "osVersion", d.os_version, f">= {minimum}", False))
    return Result(tuple(obs), f"{checked - len(obs)} of {checked} devices on the patch baseline")


CONTROL = Control(
    id="END-004v1",
    title="Devices meet the OS patch baseline",
    rationale="Most endpoint compromise uses vulnerabilities that already have a patch.",
    severity=Severity.HIGH,
    area=ControlArea.ENDPOINT,
    csf=("PR.PS-02", "ID.RA-01"),
    requires=("managedDevices",),
    remediation=Remediation(
        portal=(
            "Intune admin center > Devices > Windows updates / Apple updates: update rings and "
            "deadlines"
        ),
        command=(
            "Intune: Devices > Windows > Update rings > Create (quality deadline 3 days); "
            "macOS/iOS: Update policies with enforced deadline"
        ),
    ),
    check=check,
    decided_by="Per Intune device, the patch-baseline status of cosec.model.derived.patch "
    "(shared with the patch_baseline metric): the version compared numerically per dotted "
    "component against cosec.yaml patch_baseline for the device's platform family; an "
    "unreadable version fails; platforms without a baseline are not judged.",
)
