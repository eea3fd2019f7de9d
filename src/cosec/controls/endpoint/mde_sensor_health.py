"""Onboarded Defender for Endpoint sensors are active and reporting."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    machines = [m for m in view.mde_machines if m.onboarded]
    obs = [
        Observation(
            ObjectRef("mdeMachines", m.id, m.name), "healthStatus", m.health_status, "Active", False
        )
        for m in machines
        if m.health_status != "Active"
    ]
    return Result(tuple(obs), f"{len(machines) - len(obs)} of {len(machines)} sensors active")


CONTROL = Control(
    id="END-007v1",
    title="Defender for Endpoint sensors are healthy",
    rationale=(
        "A sensor that stopped reporting looks like coverage on paper and is blindness in practice."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.ENDPOINT,
    csf=("DE.CM-09",),
    requires=("mdeMachines",),
    remediation=Remediation(
        portal=(
            "Defender portal > Assets > Devices > filter Health state: Inactive / Impaired "
            "communications"
        ),
        command=(
            "Investigate the device; re-run the onboarding package or offboard retired machines"
        ),
    ),
    check=check,
)
