"""Each critical dataset had a successful restore test in the last period."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if not ctx.critical_datasets:
        return not_assessed("no critical_datasets declared for this tenant in cosec.yaml")
    tests = [t for t in ctx.restore_tests or () if t.tenant == ctx.tenant]
    if not tests:
        return not_assessed(
            "no restore test recorded for this tenant (none recorded is not a failure)"
        )
    cutoff = ctx.now - ctx.restore_test_period
    obs = []
    for dataset in ctx.critical_datasets:
        good = [t.tested_at for t in tests if t.dataset == dataset and t.succeeded]
        last = max(good) if good else None
        ok = last is not None and last >= cutoff
        obs.append(
            observe(
                "restoreTests",
                dataset,
                dataset,
                "last successful test",
                last.isoformat() if last else None,
                f"within {ctx.restore_test_period.days} days",
                ok,
            )
        )
    return Result(
        tuple(obs), f"{sum(o.ok for o in obs)} of {len(obs)} critical datasets restore-tested"
    )


CONTROL = Control(
    id="DAT-001v1",
    title="Critical datasets have a recent successful restore test",
    rationale="A backup nobody restored is a hope, not a recovery plan.",
    severity=Severity.HIGH,
    area=ControlArea.DATA_RECOVERY,
    csf=("PR.DS-11", "RC.RP-03"),
    requires=(),
    remediation=Remediation(
        portal="Restore a sample of the dataset to an alternate location, verify it, record it",
        command="cosec evidence record restore-test … (or cosec evidence import)",
    ),
    check=check,
    decided_by="Restore tests are recorded by people (no Microsoft API has them); with none "
    "recorded for the tenant the control is not_assessed.",
)
