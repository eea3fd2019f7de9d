"""Shared by the collector benchmarks: a simulator in its own process, a workspace with
its tenants registered, a collection run in a fresh process, and the throttle bound."""

from __future__ import annotations

import math
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cosec.graph.throttle import PER_APP, PER_TENANT, Bucket, Limit


@dataclass(frozen=True)
class SimSpec:
    tenants: list[dict[str, Any]]  # keyword arguments of build_tenant, one per tenant
    latency: str = "realistic"
    window_scale: float = 1.0


def _serve(spec: SimSpec, state_dir: str, handles: Any, stop: Any) -> None:
    from cosec.simulator.server import SimulatorConfig, running_simulator
    from cosec.simulator.tenant import build_tenant

    tenants = [build_tenant(**kw) for kw in spec.tenants]
    config = SimulatorConfig(
        tenants=tenants,
        state_dir=Path(state_dir),
        latency=spec.latency,
        window_scale=spec.window_scale,
    )
    with running_simulator(config) as handle:
        info = handle.as_json()
        info["days"] = {t.name: [t.first_day.isoformat(), t.last_day.isoformat()] for t in tenants}
        handles.put(info)
        stop.wait()


@contextmanager
def simulator_process(spec: SimSpec) -> Iterator[dict[str, Any]]:
    """Serve `spec` from a separate process, so its CPU is not counted as cosec's."""
    ctx = multiprocessing.get_context("spawn")
    handles, stop = ctx.Queue(), ctx.Event()
    state = tempfile.mkdtemp(prefix="cosec-bench-sim-")
    proc = ctx.Process(target=_serve, args=(spec, state, handles, stop), daemon=True)
    proc.start()
    try:
        yield handles.get(timeout=1800)
    finally:
        stop.set()
        proc.join(30)
        if proc.is_alive():
            proc.kill()


def make_workspace(handle: Mapping[str, Any], names: list[str] | None = None) -> Path:
    """A fresh workspace (SQLite) with the simulator's tenants registered."""
    from cosec.cli.workspace_cmd import init_workspace
    from cosec.clock import SystemClock
    from cosec.config import settings_from_env
    from cosec.runtime import Runtime
    from cosec.store import tenants as repo

    directory = Path(tempfile.mkdtemp(prefix="cosec-bench-ws-")) / "ws"
    init_workspace(directory, organisation="Bench", partner="MSP", tenant="main", env_key=None)
    rt = Runtime(settings=settings_from_env({}, workspace_dir=directory), clock=SystemClock())
    endpoints = {
        "login": handle["login"],
        "graph": handle["graph"],
        "exchange": handle["exchange"],
        "defender": handle["defender"],
        "ca_bundle": handle["ca"],
    }
    with rt.store.session() as s:
        for t in handle["tenants"]:
            if names is not None and t["name"] not in names:
                continue
            repo.add_tenant(
                s,
                name=t["name"],
                tenant_id=t["tenant_id"],
                display_name=None,
                endpoints=endpoints,
                now=rt.now(),
            )
            repo.set_credential(
                s,
                rt.secret_box,
                tenant=t["name"],
                purpose="read",
                client_id=t["client_id"],
                kind="secret",
                material=t["client_secret"],
                thumbprint=None,
                now=rt.now(),
            )
    rt.close()
    return directory


def _collect_child(
    workspace: str,
    as_of: str | None,
    keys: list[str] | None,
    scale: float,
    days: int | None,
    out: Any,
) -> None:
    from cosec.clock import SystemClock
    from cosec.collect import CollectOptions, collect_all
    from cosec.config import settings_from_env
    from cosec.runtime import Runtime

    rt = Runtime(settings=settings_from_env({}, workspace_dir=Path(workspace)), clock=SystemClock())
    rt.store  # noqa: B018  (open and migrate before timing)
    options = CollectOptions(
        keys=frozenset(keys) if keys else None,
        first_window=timedelta(days=days or 30),
        as_of=date.fromisoformat(as_of) if as_of else None,
        window_scale=scale,
        parallel_tenants=256,
    )
    cpu0, wall0 = time.process_time(), time.monotonic()
    results = collect_all(rt, None, options)
    wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
    out.put(
        {
            "wall_s": wall,
            "cpu_s": cpu,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "tenants": [
                {
                    "tenant": r.tenant,
                    "ok": r.ok,
                    "error": r.error,
                    "requests": r.stats.requests,
                    "calls": r.stats.calls,
                    "throttled": r.stats.throttled,
                    "per_bucket": dict(r.stats.per_bucket),
                    "seconds": r.seconds,
                    "not_ok": {
                        k: o.reason for k, o in r.outcomes.items() if o.status.value != "ok"
                    },
                    "events": {k: s.fetched for k, s in r.streams.items()},
                }
                for r in results
            ],
        }
    )
    rt.close()


def child_result(proc: Any, out: Any, timeout: float) -> dict[str, Any]:
    """Wait for a child's result; a child that died or raised fails the benchmark."""
    import queue

    deadline = time.monotonic() + timeout
    while True:
        try:
            got: dict[str, Any] = out.get(timeout=1.0)
            break
        except queue.Empty:
            if not proc.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"benchmark child exited ({proc.exitcode}) without a result"
                ) from None
    proc.join()
    return got


def collect_in_child(
    workspace: Path,
    *,
    as_of: date | None = None,
    keys: list[str] | None = None,
    scale: float,
    days: int | None = None,
) -> dict[str, Any]:
    """Run one collection in a fresh process (first event window `days`, default 30);
    returns its timings, peak RSS and stats."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    args = (str(workspace), as_of.isoformat() if as_of else None, keys, scale, days, out)
    proc = ctx.Process(target=_collect_child, args=args)
    proc.start()
    return child_result(proc, out, 7200)


def _scaled(limit: Limit, scale: float) -> Limit:
    return Limit(limit.limit, limit.period * scale)


def _needs(calls: int, limit: Limit) -> float:
    """Least time `calls` requests need under a window of `limit` starting empty."""
    return max(0, math.ceil(calls / limit.limit) - 1) * limit.period


def throttle_bound(tenants: list[dict[str, Any]], scale: float) -> dict[str, Any]:
    """The lower bound on wall time implied by Microsoft's limits for the calls made:
    per tenant and bucket, and per app across tenants; the largest is the bound."""
    worst: dict[str, Any] = {"seconds": 0.0, "bucket": None, "tenant": None}
    totals: dict[str, int] = {}
    for t in tenants:
        for bucket_name, calls in t["per_bucket"].items():
            totals[bucket_name] = totals.get(bucket_name, 0) + calls
            bucket = Bucket(bucket_name)
            if bucket is Bucket.DIRECTORY:
                continue  # resource-unit buckets are never binding at these sizes
            for lim in PER_TENANT[bucket]:
                need = _needs(calls, _scaled(lim, scale))
                if need > worst["seconds"]:
                    worst = {"seconds": need, "bucket": bucket_name, "tenant": t["tenant"]}
    for bucket_name, calls in totals.items():
        for lim in PER_APP.get(Bucket(bucket_name), ()):
            need = _needs(calls, _scaled(lim, scale))
            if need > worst["seconds"]:
                worst = {"seconds": need, "bucket": f"{bucket_name} (all tenants)", "tenant": None}
    return worst
