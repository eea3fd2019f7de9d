"""Shared fixtures: workspaces, stores on SQLite and PostgreSQL, and a CLI runner.

PostgreSQL: a scratch database is created per test session on COSEC_TEST_POSTGRES_URL
(default: the local server at 127.0.0.1:5432, database `test`) and dropped afterwards.
With CI=true an unreachable server fails the run; elsewhere those tests skip with a notice.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cosec.cli.workspace_cmd import init_workspace
from cosec.simulator.contract import TenantData
from cosec.simulator.server import SimulatorConfig, SimulatorHandle, running_simulator
from cosec.store.engine import Store, open_store

ADMIN_URL = os.environ.get(
    "COSEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_pg_notice: list[str] = []


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a scratch PostgreSQL database for this test session."""
    name = f"cosec_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but unreachable: {exc}")
        _pg_notice.append(str(exc).splitlines()[0])
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}; store tests ran on SQLite only")
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cosec.db'}"
    url: str = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.dispose()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An initialised workspace (the `cosec init` template) with tenant `main`."""
    ws = tmp_path / "ws"
    init_workspace(
        ws, organisation="Contoso Ltd", partner="Partner MSP", tenant="main", env_key=None
    )
    return ws


@pytest.fixture
def cli_env(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("COSEC_DATABASE_URL", raising=False)
    monkeypatch.delenv("COSEC_SECRET_KEY", raising=False)
    monkeypatch.delenv("COSEC_ACTOR", raising=False)
    monkeypatch.delenv("COSEC_NOW", raising=False)
    return {"COSEC_WORKSPACE": str(workspace)}


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_notice:
        terminalreporter.write_sep(
            "!", f"NOTICE: PostgreSQL tests skipped ({_pg_notice[0]}); SQLite only", yellow=True
        )


# --- the simulator: a local fake Microsoft 365 cloud over HTTPS ---------------------------

SIMULATOR_LAST_DAY = date(2026, 11, 20)


@pytest.fixture(scope="session")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorHandle]:
    """One small generated tenant (`contoso`, 40 users, E5 licences, 14 days ending
    2026-11-20, every scenario planted), no latency, throttling windows scaled down 100×
    so Retry-After waits are milliseconds. Every Graph body it serves is checked against
    the v1.0 schema (test_conformance.py reports violations). Shared by the whole
    session: do not change its data or knobs (use `sim_cloud` for that)."""
    from tests.simulator.schema import SESSION_AUDIT

    from cosec.simulator.scenarios import SCENARIOS, ScenarioPlacement
    from cosec.simulator.tenant import build_tenant

    tenant = build_tenant(
        name="contoso",
        seed=7,
        users=40,
        days=14,
        last_day=SIMULATOR_LAST_DAY,
        scenarios=[ScenarioPlacement(name) for name in SCENARIOS],
        licence_mix="e5",
    )
    config = SimulatorConfig(
        tenants=[tenant],
        state_dir=tmp_path_factory.mktemp("simulator"),
        latency="none",
        window_scale=0.01,
    )
    with running_simulator(config) as handle:
        handle.state.on_response = SESSION_AUDIT.record
        yield handle


@pytest.fixture
def sim_cloud(tmp_path: Path) -> Iterator[Callable[..., SimulatorHandle]]:
    """Factory for a private simulated cloud: `sim_cloud([tenant, ...], **config)` starts
    one (SimulatorConfig keywords; latency none by default) and stops it after the test."""
    stack = ExitStack()
    started: list[SimulatorHandle] = []

    def start(tenants: Sequence[TenantData], **options: Any) -> SimulatorHandle:
        options.setdefault("latency", "none")
        state_dir = tmp_path / f"simulator-{len(started)}"
        config = SimulatorConfig(tenants=list(tenants), state_dir=state_dir, **options)
        started.append(stack.enter_context(running_simulator(config)))
        return started[-1]

    with stack:
        yield start


# --- the demo history: the whole `make demo` quarter, run once per test session ----------


@dataclass(frozen=True)
class DemoHistory:
    """The outputs of one full demo run: its root, workspace, reports and pack."""

    root: Path
    workspace: Path
    files: tuple[Path, ...]
    counts: dict[str, int]

    def file(self, suffix: str, kind: str) -> Path:
        """The produced file whose name contains `kind` and ends with `suffix`."""
        matches = [p for p in self.files if kind in p.name and p.name.endswith(suffix)]
        assert len(matches) == 1, (suffix, kind, [p.name for p in self.files])
        return matches[0]


@pytest.fixture(scope="session")
def demo_history(tmp_path_factory: pytest.TempPathFactory) -> DemoHistory:
    """The demo quarter (Q2 weekly, Q3 daily, the live incident, reviews and pack) run
    once for the whole session, as `make demo` runs it. Read-only for tests: copy the
    workspace before changing anything in it. Consistency tests compare the figures of
    its outputs with one another."""
    import contextlib
    import io

    from cosec.demo import run

    root = tmp_path_factory.mktemp("demo-history") / "demo"
    saved = {k: os.environ.get(k) for k in ("COSEC_NOW", "COSEC_ACTOR", "COSEC_WORKSPACE")}
    with contextlib.redirect_stdout(io.StringIO()):
        produced = run(root, days=None, verbose=False)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    return DemoHistory(
        root=root,
        workspace=root / "workspace",
        files=tuple(produced.files),
        counts=dict(produced.counts),
    )
