"""Benchmark 1 and 4: first full collection (configuration + 30 days of events) of a
1,000-user and a 10,000-user simulated tenant with realistic latency and Microsoft's
throttling limits; wall time against the lower bound those limits imply, and the peak
memory of the collecting process.

Microsoft's windows are scaled by WINDOW_SCALE in both the simulator and cosec's
scheduler (a 10 s window lasts 1 s) so the run takes minutes; the bound is computed with
the same scaled windows, so the ratio is what the full-length run would show.
"""

from __future__ import annotations

from typing import Any

from bench import write_result
from bench.collect_support import (
    SimSpec,
    collect_in_child,
    make_workspace,
    simulator_process,
    throttle_bound,
)

WINDOW_SCALE = 0.1
SIZES = (1_000, 10_000)
GOAL_RATIO = 1.15
MEMORY_GOAL_MIB = 1024


def run_size(users: int) -> dict[str, Any]:
    name = f"t{users}"
    spec = SimSpec(
        tenants=[{"name": name, "seed": 5, "users": users, "days": 30}],
        latency="realistic",
        window_scale=WINDOW_SCALE,
    )
    with simulator_process(spec) as handle:
        workspace = make_workspace(handle)
        got = collect_in_child(workspace, scale=WINDOW_SCALE)
    (tenant,) = got["tenants"]
    bound = throttle_bound(got["tenants"], WINDOW_SCALE)
    ratio = got["wall_s"] / bound["seconds"] if bound["seconds"] else None
    return {
        "users": users,
        "wall_s": round(got["wall_s"], 2),
        "cpu_s": round(got["cpu_s"], 2),
        "peak_rss_mib": round(got["peak_rss_mib"], 1),
        "bound_s": round(bound["seconds"], 2),
        "binding_bucket": bound["bucket"],
        "ratio_to_bound": round(ratio, 3) if ratio else None,
        "ok": tenant["ok"],
        "error": tenant["error"],
        "requests": tenant["requests"],
        "calls": tenant["calls"],
        "throttled_429": tenant["throttled"],
        "calls_per_bucket": tenant["per_bucket"],
        "events": tenant["events"],
        "not_ok": tenant["not_ok"],
    }


def main() -> None:
    runs: list[dict[str, Any]] = []
    for users in SIZES:  # results are written after each size, so a long run keeps some
        r = run_size(users)
        runs.append(r)
        print(
            f"{r['users']:>6} users: {r['wall_s']}s wall, bound {r['bound_s']}s "
            f"({r['binding_bucket']}), ratio {r['ratio_to_bound']}, {r['cpu_s']}s CPU, "
            f"peak {r['peak_rss_mib']} MiB, {r['requests']} requests, "
            f"{r['throttled_429']} 429s",
            flush=True,
        )
        write_result(
            "collect_first",
            {
                "window_scale": WINDOW_SCALE,
                "latency": "realistic",
                "goal_ratio": GOAL_RATIO,
                "sizes_planned": list(SIZES),
                "runs": runs,
                "ratio_goal_met": all(
                    x["ratio_to_bound"] is not None and x["ratio_to_bound"] <= GOAL_RATIO
                    for x in runs
                ),
            },
        )
        write_result(
            "collect_memory",
            {
                "users": r["users"],
                "peak_rss_mib": r["peak_rss_mib"],
                "goal_mib": MEMORY_GOAL_MIB,
                "goal_met": r["peak_rss_mib"] < MEMORY_GOAL_MIB,
            },
        )


if __name__ == "__main__":
    main()
