"""The latest successful restore of each dataset met its time-to-restore target."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    tests = [t for t in ctx.restore_tests or () if t.tenant == ctx.tenant and t.succeeded]
    timed = [t for t in tests if t.time_to_restore is not None and t.target is not None]
    if not timed:
        return not_assessed("no successful restore test with a measured time and target")
    latest = {}
    for t in sorted(timed, key=lambda t: t.tested_at):
        latest[t.dataset] = t
    obs = []
    for dataset, t in sorted(latest.items()):
        assert t.time_to_restore is not None and t.target is not None
        hours = t.time_to_restore.total_seconds() / 3600
        target = t.target.total_seconds() / 3600
        obs.append(
            observe(
                "restoreTests",
                dataset,
                dataset,
                "time_to_restore_hours",
                round(hours, 2),
                f"<= {target:g} h",
                hours <= target,
            )
        )
    return Result(
        tuple(obs), f"{sum(o.ok for o in obs)} of {len(obs)} datasets restored within target"
    )


CONTROL = Control(
    id="DAT-002v1",
    title="Restores finish within the target time",
    rationale=(
        "A restore that takes three days misses a one-day recovery objective even when it works."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.DATA_RECOVERY,
    csf=("RC.RP-02", "PR.DS-11"),
    requires=(),
    remediation=Remediation(
        portal="Review the restore procedure and backup tier; re-test and record",
        command="cosec evidence record restore-test … after the re-test",
    ),
    check=check,
)
