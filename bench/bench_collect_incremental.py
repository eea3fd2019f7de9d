"""Benchmark 3: incremental collection of 200 simulated tenants, one day of new events
each, against the cross-tenant bound (identity & access reports: 122 requests per 10 s
per app across tenants). Microsoft's own window lengths; realistic latency.

The first collection (as of the day before) sets the watermarks and is not timed; the
timed run collects the last day: a fresh snapshot of every tenant plus the new events.
"""

from __future__ import annotations

from datetime import date, timedelta

from bench import write_result
from bench.collect_support import (
    SimSpec,
    collect_in_child,
    make_workspace,
    simulator_process,
    throttle_bound,
)

TENANTS = 200
WINDOW_SCALE = 1.0
GOAL_RATIO = 1.2


def main() -> None:
    spec = SimSpec(
        tenants=[{"name": f"c{i:03d}", "seed": i, "users": 10, "days": 3} for i in range(TENANTS)],
        latency="realistic",
        window_scale=WINDOW_SCALE,
    )
    with simulator_process(spec) as handle:
        last = date.fromisoformat(handle["days"]["c000"][1])
        workspace = make_workspace(handle)
        first = collect_in_child(workspace, as_of=last - timedelta(days=1), scale=WINDOW_SCALE)
        got = collect_in_child(workspace, as_of=last, scale=WINDOW_SCALE)
    bound = throttle_bound(got["tenants"], WINDOW_SCALE)
    failed = [t["tenant"] for t in got["tenants"] if not t["ok"]]
    ratio = got["wall_s"] / bound["seconds"] if bound["seconds"] else None
    events = sum(sum(t["events"].values()) for t in got["tenants"])
    print(
        f"{TENANTS} tenants incremental: {got['wall_s']:.1f}s wall, bound {bound['seconds']:.1f}s "
        f"({bound['bucket']}), ratio {ratio and round(ratio, 3)}, {got['cpu_s']:.1f}s CPU, "
        f"{events} new events, {len(failed)} failed; first run {first['wall_s']:.1f}s"
    )
    write_result(
        "collect_incremental",
        {
            "tenants": TENANTS,
            "window_scale": WINDOW_SCALE,
            "wall_s": round(got["wall_s"], 2),
            "cpu_s": round(got["cpu_s"], 2),
            "bound_s": round(bound["seconds"], 2),
            "binding_bucket": bound["bucket"],
            "ratio_to_bound": round(ratio, 3) if ratio else None,
            "goal_ratio": GOAL_RATIO,
            "goal_met": bool(ratio and ratio <= GOAL_RATIO),
            "requests": sum(t["requests"] for t in got["tenants"]),
            "throttled_429": sum(t["throttled"] for t in got["tenants"]),
            "events": events,
            "failed_tenants": failed,
            "first_run_wall_s": round(first["wall_s"], 2),
        },
    )


if __name__ == "__main__":
    main()
