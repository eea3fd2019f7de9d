"""Managed devices are compliant with their compliance policies."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.endpoint.common import device_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

OK_STATES = ("compliant", "inGracePeriod")


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    devices = view.managed_devices
    obs = [
        device_obs(d, "complianceState", d.compliance_state, "compliant", False)
        for d in devices
        if d.compliance_state not in OK_STATES
    ]
    return Result(tuple(obs), f"{len(devices) - len(obs)} of {len(devices)} devices compliant")


CONTROL = Control(
    id="END-003v1",
    title="Managed devices are compliant",
    rationale=(
        "Non-compliant devices lack encryption, patches or protection that the policy requires."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.ENDPOINT,
    csf=("PR.PS-01", "DE.CM-09"),
    requires=("managedDevices",),
    remediation=Remediation(
        portal="Intune admin center > Devices > Monitor > Noncompliant devices: fix or retire each",
        command=(
            "POST https://graph.microsoft.com/v1.0/deviceManagement/managedDevices/{id}/syncDevice "
            "(after fixing the setting)"
        ),
    ),
    check=check,
)
