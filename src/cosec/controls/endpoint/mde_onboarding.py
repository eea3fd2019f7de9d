"""Every managed Windows and macOS device is onboarded to Defender for Endpoint."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.endpoint.common import DESKTOP, device_obs, platform
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    onboarded = {m.aad_device_id for m in view.mde_machines if m.onboarded and m.aad_device_id}
    names = {m.name.split(".")[0].lower() for m in view.mde_machines if m.onboarded}
    obs: list[Observation] = []
    desktops = [d for d in view.managed_devices if platform(d) in DESKTOP]
    for d in desktops:
        if d.azure_ad_device_id in onboarded or d.name.lower() in names:
            continue
        obs.append(
            device_obs(
                d, "defenderForEndpoint.onboardingStatus", "not onboarded", "Onboarded", False
            )
        )
    for m in view.mde_machines:
        if not m.onboarded:
            ref = ObjectRef("mdeMachines", m.id, m.name)
            obs.append(
                Observation(ref, "onboardingStatus", m.onboarding_status, "Onboarded", False)
            )
    covered = len(desktops) - sum(1 for o in obs if o.object.resource == "managedDevices")
    return Result(tuple(obs), f"{covered} of {len(desktops)} managed desktops onboarded")


CONTROL = Control(
    id="END-001v1",
    title="Devices are onboarded to Defender for Endpoint",
    rationale="An endpoint without EDR is where an intruder lives unseen.",
    severity=Severity.HIGH,
    area=ControlArea.ENDPOINT,
    csf=("DE.CM-09", "ID.AM-01"),
    requires=("managedDevices", "mdeMachines"),
    remediation=Remediation(
        portal=(
            "Intune admin center > Endpoint security > Microsoft Defender for Endpoint: connect, "
            "then an EDR onboarding policy for all devices"
        ),
        command=(
            "Intune: Endpoint security > Endpoint detection and response > Create policy (Windows, "
            "macOS) assigned to All devices"
        ),
    ),
    check=check,
    decided_by="A managed device counts as onboarded when an onboarded Defender machine has "
    "its Entra device id (or, failing that, the same host name).",
)
