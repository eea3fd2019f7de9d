"""Every cell of the responsibility map (area × duty) has an owner."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea, Duty
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    flagged = set(ctx.governance.unowned_cells) if ctx.governance else set()
    obs = []
    for area in ControlArea:
        owners = ctx.owners.get(area)
        for duty in Duty:
            cell = f"{area.value}/{duty.value}"
            owner = owners.for_duty(duty) if owners else None
            ok = owner is not None and cell not in flagged
            obs.append(
                observe(
                    "responsibilityMap",
                    cell,
                    cell,
                    "owner",
                    owner.label() if owner else None,
                    "an owning party and role",
                    ok,
                )
            )
    return Result(
        tuple(obs), f"{sum(not o.ok for o in obs)} of {len(obs)} cells unowned or ambiguous"
    )


CONTROL = Control(
    id="GOV-001v1",
    title="Every responsibility is owned",
    rationale="Incident response is everyone's job until it becomes no one's job.",
    severity=Severity.HIGH,
    area=ControlArea.GOVERNANCE,
    csf=("GV.RR-02",),
    requires=(),
    remediation=Remediation(
        portal="Agree the owner of each unowned cell between the IT lead and the partner",
        command="edit cosec.yaml responsibility_map overrides for the listed area/duty cells",
    ),
    check=check,
)
