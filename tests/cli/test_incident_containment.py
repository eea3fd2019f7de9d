"""Incidents close against the tenant: the rogue Global Administrator of the simulator
is detected and declared; closing is refused while the latest collection still shows the
role assignment, the `remove_role_assignment` action removes it through the response app,
and the incident closes once a collection confirms it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.cli.incidents_demo import _register
from cosec.model.view import GLOBAL_ADMIN, TenantView
from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import build_tenant
from cosec.store import alerts as alert_repo
from cosec.store.engine import open_store
from cosec.store.snapshots import latest_snapshot


def _db(workspace: Path) -> str:
    return f"sqlite:///{workspace / 'data' / 'cosec.db'}"


def test_close_refused_until_a_collection_shows_the_grant_removed(
    cli: CliRunner,
    cli_env: dict[str, str],
    workspace: Path,
    sim_cloud: Callable[..., SimulatorHandle],
) -> None:
    tenant = build_tenant(
        name="contoso",
        seed=11,
        users=30,
        days=5,
        licence_mix="e5",
        scenarios=[ScenarioPlacement("rogue-admin")],
    )
    handle = sim_cloud([tenant], window_scale=0.01)
    _register(workspace, handle)
    env = dict(cli_env)
    before = (tenant.last_day.replace(day=tenant.last_day.day - 2)).isoformat()
    run_cli(cli, ["collect", "--throttle-scale", "0.01", "--as-of", before], env)
    run_cli(cli, ["collect", "--throttle-scale", "0.01"], env)
    run_cli(cli, ["detect", "--tenant", "main"], env)
    store = open_store(_db(workspace))
    try:
        with store.session() as s:
            (alert,) = [
                a
                for a in alert_repo.list_alerts(s, tenant="main")
                if a.rule_id.startswith("DET-ROLE")
            ]
            snap = latest_snapshot(s, "main")
            assert snap is not None
            view = TenantView.from_snapshot(snap)
            user = view.users_by_upn[alert.subject.lower()]
            (grant,) = [
                g
                for g in view.role_assignments
                if g.principal_id == user.id
                and view.role_template(g.role_definition_id) == GLOBAL_ADMIN
            ]
    finally:
        store.dispose()
    run_cli(cli, ["--as", "jordan", "alerts", "escalate", str(alert.id)], env)
    iid = "1"
    for item in ("1", "2"):
        run_cli(cli, ["--as", "jordan", "incidents", "contain", iid, item], env)
    run_cli(cli, ["--as", "jordan", "incidents", "status", iid, "contained"], env)

    refused = run_cli(
        cli, ["--as", "jordan", "incidents", "close", iid, "--note", "done"], env, ok=False
    )
    assert refused.exit_code != 0
    assert f"{alert.subject} still holds Global Administrator" in str(refused.exception)

    acted = run_cli(
        cli,
        ["--as", "alex", "incidents", "act", iid, "remove_role_assignment",
         "--assignment", grant.id, "--execute"],
        env,
    )  # fmt: skip
    assert "'present': True" in acted.output and "'present': False" in acted.output
    still = run_cli(
        cli, ["--as", "jordan", "incidents", "close", iid, "--note", "done"], env, ok=False
    )
    assert "still holds Global Administrator" in str(still.exception)  # not collected yet

    run_cli(cli, ["collect", "--throttle-scale", "0.01"], env)
    closed = run_cli(cli, ["--as", "jordan", "incidents", "close", iid, "--note", "done"], env)
    assert "INC-1 is closed" in closed.output
