"""`cosec tenant check` and `cosec collect` as a user runs them against the simulator."""

from __future__ import annotations

import json

from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.simulator.server import SimulatorHandle


def _add(
    cli: CliRunner, env: dict[str, str], handle: SimulatorHandle, name: str, secret: str
) -> None:
    creds = handle.tenant("contoso")
    args = [
        "--as", "alex", "tenant", "add", name,
        "--tenant-id", creds.tenant_id,
        "--client-id", creds.client_id,
        "--client-secret-env", "SIM_SECRET",
        "--login-url", handle.login,
        "--graph-url", handle.graph,
        "--exchange-url", handle.exchange,
        "--defender-url", handle.defender,
        "--ca-bundle", str(handle.ca),
    ]  # fmt: skip
    run_cli(cli, args, {**env, "SIM_SECRET": secret})


def test_tenant_check_shows_granted_permissions_and_licences(
    cli: CliRunner, cli_env: dict[str, str], simulator: SimulatorHandle
) -> None:
    _add(cli, cli_env, simulator, "contoso", simulator.tenant("contoso").client_secret)
    out = run_cli(cli, ["tenant", "check", "contoso", "--json"], cli_env)
    report = json.loads(out.output)
    granted = {p["permission"]: p["granted"] for p in report["permissions"]}
    assert granted["User.Read.All"] is True
    assert granted["Exchange.ManageAsApp"] is True
    assert granted["Machine.Read.All"] is True
    data = simulator.cloud.get("contoso").data
    assert "Microsoft Entra ID P1" in report["licences"]
    assert ("Microsoft Entra ID P2" in report["licences"]) is data.licensed("entra_p2")
    assert report["errors"] == {}


def test_collect_json_summary_and_failed_tenant_exit_code(
    cli: CliRunner, cli_env: dict[str, str], simulator: SimulatorHandle
) -> None:
    _add(cli, cli_env, simulator, "contoso", simulator.tenant("contoso").client_secret)
    out = run_cli(cli, ["collect", "--throttle-scale", "0.01", "--json"], cli_env)
    (summary,) = json.loads(out.output)
    assert summary["ok"] and summary["snapshot_id"] == 1
    assert summary["resources"]["users"]["status"] == "ok"
    assert summary["partial"] is any(
        r["status"] != "ok" for r in summary["resources"].values()
    ) or any(s["status"] != "ok" for s in summary["streams"].values())
    assert summary["streams"]["signIns"]["events"] > 0

    _add(cli, cli_env, simulator, "broken", "not-the-secret")
    failed = run_cli(cli, ["collect", "--throttle-scale", "0.01"], cli_env, ok=False)
    assert failed.exit_code == 1
    assert "broken" in failed.output and "secret is wrong" in failed.output
    assert "Collection" in failed.output  # the summary table still shows every tenant


def test_collect_rejects_bad_options(cli: CliRunner, cli_env: dict[str, str]) -> None:
    bad_key = run_cli(cli, ["collect", "--resources", "users,nope"], cli_env, ok=False)
    assert "unknown resource or stream: nope" in str(bad_key.exception)
    bad_day = run_cli(cli, ["collect", "--as-of", "yesterday"], cli_env, ok=False)
    assert "YYYY-MM-DD" in str(bad_day.exception)
