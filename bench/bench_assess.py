"""Assessment at scale: the full control catalog over simulated tenants.

1. One 10,000-user tenant (licence mix e5, so every control has data): the whole catalog
   on a fresh view (parsing included), best of 3; each control alone on a fresh view
   (its own parsing included); storing the run in SQLite.
2. 500 snapshots of 200-user tenants (varied seeds and licence mixes): time per tenant.

Tenant generation and snapshot building are not timed. One process, one core; times are
CPU seconds of the process (the machine is shared, so wall time mostly measures waiting).
Writes bench/results/assess.json.

    .venv/bin/python -m bench assess
"""

from __future__ import annotations

import json
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.controls.builder import context
from tests.controls.simulated import snapshot_of

from cosec.controls.catalog import load_catalog
from cosec.controls.engine import assess, evaluate
from cosec.model.snapshot import Snapshot
from cosec.model.view import TenantView
from cosec.simulator.tenant import build_tenant
from cosec.store import assessments
from cosec.store.engine import open_store

RESULT = Path(__file__).parent / "results" / "assess.json"
LARGE_USERS = 10_000
SMALL_USERS = 200
SMALL_TENANTS = 500
MIXES = ("business-premium", "e3", "e5")


def _timed_assess(snap: Snapshot) -> tuple[float, float, list[Any]]:
    """(CPU seconds, wall seconds, findings) of the whole catalog on a fresh view."""
    ctx = context(now=snap.taken_at)
    cpu, wall = time.process_time(), time.perf_counter()
    findings = assess(TenantView(snap), ctx, load_catalog())
    return time.process_time() - cpu, time.perf_counter() - wall, findings


def _reference_s() -> float:
    """CPU seconds of a fixed pure-Python loop, to compare machines."""
    start = time.process_time()
    sum(range(10_000_000))
    return round(time.process_time() - start, 3)


def _large() -> dict[str, Any]:
    started = time.perf_counter()
    snap = snapshot_of(build_tenant(name="large", users=LARGE_USERS, seed=11, licence_mix="e5"))
    build_s = time.perf_counter() - started
    runs = [_timed_assess(snap) for _ in range(5)]
    cpu = sorted(r[0] for r in runs)
    best, median = cpu[0], cpu[len(cpu) // 2]
    findings = runs[0][2]
    ctx = context(now=snap.taken_at)
    per_control = {}
    for control in load_catalog():
        start = time.process_time()
        evaluate(control, TenantView(snap), ctx)
        per_control[control.id] = round((time.process_time() - start) * 1000, 2)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        start = time.perf_counter()
        with store.session() as s:
            assessments.run_assessment(s, snap, ctx)
        store_s = time.perf_counter() - start
        store.dispose()
    statuses: dict[str, int] = {}
    for f in findings:
        statuses[f.status.value] = statuses.get(f.status.value, 0) + 1
    evidence = sum(len(f.evidence) for f in findings)
    return {
        "users": LARGE_USERS,
        "raw_items": sum(len(v) for v in snap.raw.values())
        + sum(len(x) for per in snap.raw_per_parent.values() for x in per.values()),
        "tenant_and_snapshot_build_s": round(build_s, 2),
        "catalog_cpu_s_best_of_5": round(best, 3),
        "catalog_cpu_s_median_of_5": round(median, 3),
        "catalog_wall_s_runs": [round(r[1], 3) for r in runs],
        "goal_s": 1.0,
        "meets_goal_median": median < 1.0,
        "run_assess_and_store_sqlite_s": round(store_s, 3),
        "evidence_rows": evidence,
        "statuses": statuses,
        "per_control_cold_ms": per_control,
        "slowest_controls_cold_ms": dict(
            sorted(per_control.items(), key=lambda kv: kv[1], reverse=True)[:8]
        ),
    }


def _small() -> dict[str, Any]:
    times: list[float] = []
    for n in range(SMALL_TENANTS):
        tenant = build_tenant(
            name=f"t{n}", users=SMALL_USERS, seed=1000 + n, licence_mix=MIXES[n % len(MIXES)]
        )
        cpu, _, _ = _timed_assess(snapshot_of(tenant))
        times.append(cpu)
    ordered = sorted(times)
    return {
        "tenants": SMALL_TENANTS,
        "users_each": SMALL_USERS,
        "total_assess_cpu_s": round(sum(times), 2),
        "per_tenant_ms_mean": round(statistics.mean(times) * 1000, 2),
        "per_tenant_ms_p50": round(ordered[len(ordered) // 2] * 1000, 2),
        "per_tenant_ms_p95": round(ordered[int(len(ordered) * 0.95)] * 1000, 2),
        "per_tenant_ms_max": round(ordered[-1] * 1000, 2),
        "per_control_ms_mean": round(statistics.mean(times) * 1000 / len(load_catalog()), 3),
    }


def main() -> None:
    load_catalog()  # import and validate once, outside the timings
    result = {
        "benchmark": "assess",
        "controls": len(load_catalog()),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "timing": "CPU seconds of this process (time.process_time); the machine is shared",
        "reference_loop_cpu_s": _reference_s(),
        "large_tenant": _large(),
        "many_small_tenants": _small(),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    large, small = result["large_tenant"], result["many_small_tenants"]
    print(
        f"10k users: {large['catalog_cpu_s_median_of_5']} s CPU (median) for "
        f"{result['controls']} controls; "
        f"500 x 200 users: {small['per_tenant_ms_mean']} ms per tenant (mean)"
    )


if __name__ == "__main__":
    main()
