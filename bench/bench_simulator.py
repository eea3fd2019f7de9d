"""Simulator scale: time and peak memory until a tenant is ready to serve.

Ready = `build_tenant` returned and `collection("users", last_day)` answered. Each size
runs in its own process so peak RSS is that size's alone; CPU time is recorded beside
wall time because the build machine is shared. Also times the first read of
a day of sign-ins (generated lazily). Writes bench/results/simulator.json.

    .venv/bin/python bench/bench_simulator.py [users ...]
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

SIZES = (1_000, 10_000, 50_000)
LAST_DAY = date(2026, 11, 20)
RESULT = Path(__file__).parent / "results" / "simulator.json"


def measure(users: int) -> dict[str, float | int]:
    from cosec.simulator.tenant import build_tenant

    start = time.perf_counter()
    cpu = time.process_time()
    tenant = build_tenant(users=users, days=30, last_day=LAST_DAY)
    built = time.perf_counter()
    served = len(tenant.collection("users", LAST_DAY))
    ready = time.perf_counter()
    ready_cpu = time.process_time() - cpu
    sign_ins = len(tenant.events_on("signIns", date(2026, 11, 19)))
    day_read = time.perf_counter()
    return {
        "users": users,
        "days": 30,
        "build_s": round(built - start, 3),
        "ready_s": round(ready - start, 3),
        "ready_cpu_s": round(ready_cpu, 3),
        "users_served": served,
        "sign_ins_one_day": sign_ins,
        "sign_ins_day_s": round(day_read - ready, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(sizes: tuple[int, ...]) -> None:
    runs = []
    for users in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(users)],
            check=True,
            capture_output=True,
            text=True,
        )
        run = json.loads(out.stdout)
        print(json.dumps(run))
        runs.append(run)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(
        json.dumps(
            {
                "benchmark": "simulator build_tenant (30 days) until users are served",
                "python": platform.python_version(),
                "load_average": list(os.getloadavg()),
                "machine": platform.machine(),
                "runs": runs,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
