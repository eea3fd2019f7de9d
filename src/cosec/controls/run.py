"""An assessment run (the catalog over one snapshot) and how two runs differ."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cosec.controls.base import Status
from cosec.controls.finding import Finding


@dataclass(frozen=True)
class AssessmentRun:
    tenant: str
    snapshot_id: int | None
    snapshot_taken_at: datetime
    assessed_at: datetime
    findings: tuple[Finding, ...]
    id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(f.status.value for f in self.findings)
        return {s.value: found.get(s.value, 0) for s in Status}

    def finding(self, control_id: str) -> Finding | None:
        for f in self.findings:
            if f.control_id == control_id:
                return f
        return None


class Change(StrEnum):
    NEW_FAILURE = "new failure"
    REGRESSED = "regressed"  # passed last time, fails now
    STILL_FAILING = "still failing"
    RESOLVED = "resolved"  # failed last time, passes now
    NEWLY_ACCEPTED = "newly accepted"


@dataclass(frozen=True)
class RunDiff:
    previous_run: int | None
    changes: dict[Change, tuple[str, ...]] = field(default_factory=dict)

    def of(self, change: Change) -> tuple[str, ...]:
        return self.changes.get(change, ())


def compare(
    previous: AssessmentRun | None,
    current: AssessmentRun,
    renamed: Mapping[str, str] | None = None,
) -> RunDiff:
    """Control ids per kind of change from `previous` to `current`.

    `renamed` maps earlier control ids to current ones (`catalog.renamed()`), so a renamed
    control keeps its history.
    """
    aliases = renamed or {}
    before = (
        {aliases.get(f.control_id, f.control_id): f.status for f in previous.findings}
        if previous
        else {}
    )
    out: dict[Change, list[str]] = {c: [] for c in Change}
    for f in current.findings:
        was = before.get(f.control_id)
        now = f.status
        if now is Status.FAIL:
            if was is Status.FAIL:
                out[Change.STILL_FAILING].append(f.control_id)
            elif was is Status.PASS:
                out[Change.REGRESSED].append(f.control_id)
            else:
                out[Change.NEW_FAILURE].append(f.control_id)
        elif now is Status.PASS and was is Status.FAIL:
            out[Change.RESOLVED].append(f.control_id)
        elif now is Status.ACCEPTED and was is not Status.ACCEPTED:
            out[Change.NEWLY_ACCEPTED].append(f.control_id)
    return RunDiff(
        previous_run=previous.id if previous else None,
        changes={c: tuple(ids) for c, ids in out.items() if ids},
    )
