"""The tenant declares which datasets are critical, so recovery can be tested at all."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    declared = list(ctx.critical_datasets)
    obs = observe(
        "workspace",
        "critical_datasets",
        "cosec.yaml tenants[].critical_datasets",
        "critical_datasets",
        declared,
        "at least one dataset",
        bool(declared),
    )
    return Result((obs,), f"{len(declared)} critical datasets declared")


CONTROL = Control(
    id="DAT-003v1",
    title="Critical datasets are declared",
    rationale="Recovery priorities decided during an incident are decided too late.",
    severity=Severity.MEDIUM,
    area=ControlArea.DATA_RECOVERY,
    csf=("ID.AM-07", "ID.AM-05"),
    requires=(),
    remediation=Remediation(
        portal="Agree the datasets with the business owner",
        command="edit cosec.yaml: tenants[].critical_datasets: [finance-share, …]",
    ),
    check=check,
)
