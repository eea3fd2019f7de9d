"""Event storage CPU: 20 pages of 1,000 sign-ins written page by page, then read back.

Each page is one transaction through `put_events`, as the stream collector writes it;
the read streams them with `iter_events`, as detection does. CPU seconds of this
process per 1,000 events, on SQLite (a fresh file) and on PostgreSQL when
COSEC_BENCH_POSTGRES_URL names a scratch database (its tables are created there).
Writes bench/results/event_store.json.

    .venv/bin/python -m bench event_store
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import write_result
from cosec.store.engine import open_store
from cosec.store.events import NewEvent, iter_events, put_events

T0 = datetime(2026, 11, 1, tzinfo=UTC)
PAGES, PAGE = 20, 1_000


def _sign_in(i: int) -> dict[str, Any]:
    """A sign-in with the fields and nesting of a Graph v1.0 signIn record."""
    return {
        "id": f"e{i}",
        "createdDateTime": (T0 + timedelta(seconds=i)).isoformat(),
        "userPrincipalName": f"u{i % 1000}@contoso.com",
        "appDisplayName": "Office 365",
        "ipAddress": "10.0.0.1",
        "status": {"errorCode": 0, "failureReason": None},
        "location": {
            "city": "Zürich",
            "countryOrRegion": "CH",
            "geoCoordinates": {"latitude": 47.3, "longitude": 8.5},
        },
        "conditionalAccessStatus": "success",
        "riskLevelDuringSignIn": "none",
        "deviceDetail": {"operatingSystem": "Windows", "browser": "Edge"},
        "clientAppUsed": "Browser",
        "isInteractive": True,
    }


def measure(url: str) -> dict[str, float]:
    store = open_store(url)
    pages = [
        [NewEvent(f"e{i}", T0 + timedelta(seconds=i), _sign_in(i)) for i in range(p, p + PAGE)]
        for p in range(0, PAGES * PAGE, PAGE)
    ]
    cpu, wall = time.process_time(), time.perf_counter()
    for page in pages:
        with store.session() as s:
            put_events(s, "bench", "signIns", page)
    write_cpu, write_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu = time.process_time()
    with store.session() as s:
        read = sum(1 for _ in iter_events(s, "bench", "signIns"))
    read_cpu = time.process_time() - cpu
    store.dispose()
    assert read == PAGES * PAGE
    per = 1_000 / read
    return {
        "write_cpu_s_per_1000": round(write_cpu * per, 4),
        "write_wall_s_per_1000": round(write_wall * per, 4),
        "read_cpu_s_per_1000": round(read_cpu * per, 4),
    }


def main() -> None:
    results: dict[str, Any] = {"events": PAGES * PAGE, "page": PAGE}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure(f"sqlite:///{Path(tmp) / 'events.db'}")
    pg = os.environ.get("COSEC_BENCH_POSTGRES_URL")
    if pg:
        results["postgresql"] = measure(pg)
    for backend in ("sqlite", "postgresql"):
        if backend in results:
            print(backend, results[backend], flush=True)
    write_result("event_store", results)


if __name__ == "__main__":
    main()
