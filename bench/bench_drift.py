"""Drift detection at scale: adopt a baseline, then diff a snapshot against it.

Synthetic tenant configuration (Conditional Access policies, named locations, role
assignments, compliance policies) in a fresh SQLite store; 1% of objects are changed,
removed or added before the second check. Writes bench/results/drift.json.

    .venv/bin/python -m bench drift
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cosec.config import Person, Role
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.store import changes
from cosec.store.engine import open_store

RESULT = Path(__file__).parent / "results" / "drift.json"
T0 = datetime(2026, 11, 1, tzinfo=UTC)
APPROVER = Person(id="alex", name="Alex", party="internal", roles=(Role.CHANGE_APPROVER,))
SIZES = {
    "conditionalAccessPolicies": 200,
    "namedLocations": 100,
    "roleAssignments": 5_000,
    "deviceCompliancePolicies": 100,
}


def _object(resource: str, i: int) -> dict[str, Any]:
    return {
        "id": f"{resource}-{i:05d}",
        "displayName": f"{resource} {i}",
        "modifiedDateTime": "2026-10-01T00:00:00Z",
        "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [f"u{i}"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }


def _snapshot(at: datetime, raw: dict[str, list[dict[str, Any]]]) -> Snapshot:
    outcomes = {k: ResourceOutcome(k, Outcome.OK, item_count=len(v)) for k, v in raw.items()}
    return Snapshot(tenant="bench", taken_at=at, outcomes=outcomes, raw=raw)


def _mutate(raw: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for key, items in raw.items():
        step = 100
        kept = [dict(o) for i, o in enumerate(items) if i % step != 1]  # ~1% removed
        for i in range(0, len(kept), step):  # ~1% changed
            kept[i] = {**kept[i], "state": "disabled", "modifiedDateTime": "2026-11-02T00:00Z"}
        kept += [_object(key, len(items) + j) for j in range(max(1, len(items) // step))]
        out[key] = kept
    return out


def main() -> None:
    raw = {k: [_object(k, i) for i in range(n)] for k, n in SIZES.items()}
    objects = sum(SIZES.values())
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        first = _snapshot(T0, raw)
        start = time.perf_counter()
        with store.session() as s:
            changes.adopt_baseline(s, tenant="bench", snapshot=first, person=APPROVER, now=T0)
        adopt_s = time.perf_counter() - start

        start = time.perf_counter()
        with store.session() as s:
            same = changes.check_drift(
                s, tenant="bench", snapshot=_snapshot(T0, raw), audit_events=[], now=T0
            )
        unchanged_s = time.perf_counter() - start

        later = T0 + timedelta(days=1)
        start = time.perf_counter()
        with store.session() as s:
            report = changes.check_drift(
                s,
                tenant="bench",
                snapshot=_snapshot(later, _mutate(raw)),
                audit_events=[],
                now=later,
            )
        drifted_s = time.perf_counter() - start
        store.dispose()
    result = {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "objects": objects,
        "adopt_s": round(adopt_s, 3),
        "check_unchanged_s": round(unchanged_s, 3),
        "check_with_drift_s": round(drifted_s, 3),
        "drift_records": len(report.new),
        "unchanged_drift_records": len(same.new),
    }
    print(json.dumps(result))
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
