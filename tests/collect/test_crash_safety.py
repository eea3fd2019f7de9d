"""SIGKILL `cosec collect` at random moments, re-run, and compare with a clean run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tests.collect.conftest import register_tenant

from cosec.cli.workspace_cmd import init_workspace
from cosec.clock import SystemClock
from cosec.collect import CollectOptions, collect_all
from cosec.config import settings_from_env
from cosec.model.resources import STREAMS
from cosec.runtime import Runtime
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import build_tenant
from cosec.store.events import count_events, iter_events
from cosec.store.snapshots import latest_snapshot


def _runtime(directory: Path) -> Runtime:
    init_workspace(directory, organisation="C", partner="P", tenant="main", env_key=None)
    settings = settings_from_env({}, workspace_dir=directory)
    return Runtime(settings=settings, clock=SystemClock())


def _events(rt: Runtime) -> dict[str, dict[str, object]]:
    with rt.store.session() as s:
        return {k: {e.id: e.raw for e in iter_events(s, "fabrikam", k)} for k in STREAMS}


def _stored(rt: Runtime) -> int:
    with rt.store.session() as s:
        return sum(count_events(s, "fabrikam", k) for k in STREAMS)


def test_killed_collections_resume_without_loss_or_duplicates(
    tmp_path: Path, sim_cloud: Callable[..., SimulatorHandle]
) -> None:
    tenant = build_tenant(name="fabrikam", seed=11, users=150, days=30)
    handle = sim_cloud([tenant], window_scale=0.01)
    day = tenant.last_day - timedelta(days=1)
    clean, crashed = _runtime(tmp_path / "clean"), _runtime(tmp_path / "crashed")
    for rt in (clean, crashed):
        register_tenant(rt, handle, "fabrikam")
    (reference,) = collect_all(clean, None, CollectOptions(as_of=day, window_scale=0.01))
    assert reference.ok

    env = {k: v for k, v in os.environ.items() if not k.startswith("COSEC_")}
    env["COSEC_WORKSPACE"] = str(tmp_path / "crashed")
    command = [sys.executable, "-m", "cosec", "collect", "--as-of", day.isoformat()]
    command += ["--throttle-scale", "0.01", "--json"]
    chance = random.Random(2026)
    total = sum(len(v) for v in _events(clean).values())
    interrupted = 0  # kills that left a stream part-stored
    for _ in range(3):
        before = _stored(crashed)
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        # wait until this run stores something (a kill while importing proves little),
        # then let it go on for a random moment
        while proc.poll() is None and _stored(crashed) == before:
            time.sleep(0.02)
        time.sleep(chance.uniform(0.0, 0.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        interrupted += 0 < _stored(crashed) < total
    assert interrupted >= 2, "the kills never landed mid-collection; make the tenant bigger"
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr

    assert _events(crashed) == _events(clean)
    with clean.store.session() as s, crashed.store.session() as t:
        want, got = latest_snapshot(s, "fabrikam"), latest_snapshot(t, "fabrikam")
        assert want is not None and got is not None
        assert got.raw == want.raw
        assert {k: o.status for k, o in got.outcomes.items()} == {
            k: o.status for k, o in want.outcomes.items()
        }
    for rt in (clean, crashed):
        rt.close()
