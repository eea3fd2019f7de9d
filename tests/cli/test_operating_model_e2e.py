"""The co-managed workflow end to end from the CLI against a simulated tenant.

The partner proposes an exception, approval by the partner and self-approval are refused,
the internal risk owner approves and the finding turns accepted; an unapproved
Conditional Access change made in the simulator shows up as drift naming its actor; time
passes (COSEC_NOW), the exception expires by itself and the finding re-opens; the audit
log verifies, and catches tampering.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.governance.decisions import Refused
from cosec.simulator import policies as pol
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import SimTenant, build_tenant
from cosec.store.engine import open_store

pytestmark = pytest.mark.slow

LAST_DAY = date(2026, 11, 20)
CONTROL = "IDN-013v1"  # privileged accounts are cloud-only (high: at most 90 days)


def _env(base: dict[str, str], now: str, who: str | None = None) -> dict[str, str]:
    env = {**base, "COSEC_NOW": now, "SIM_SECRET": base["SIM_SECRET"]}
    if who:
        env["COSEC_ACTOR"] = who
    return env


@pytest.fixture
def tenant() -> SimTenant:
    return build_tenant(
        name="contoso", seed=11, users=25, days=7, last_day=LAST_DAY, licence_mix="e5"
    )


@pytest.fixture
def env(
    cli: CliRunner,
    cli_env: dict[str, str],
    tenant: SimTenant,
    sim_cloud: Callable[..., SimulatorHandle],
) -> dict[str, str]:
    handle = sim_cloud([tenant], window_scale=0.01)
    creds = handle.tenant("contoso")
    base = {**cli_env, "SIM_SECRET": creds.client_secret}
    ws = Path(cli_env["COSEC_WORKSPACE"]) / "cosec.yaml"
    ws.write_text(ws.read_text().replace('- name: "main"', '- name: "contoso"'))
    args = [
        "--as", "alex", "tenant", "add", "contoso",
        "--tenant-id", creds.tenant_id,
        "--client-id", creds.client_id,
        "--client-secret-env", "SIM_SECRET",
        "--login-url", handle.login,
        "--graph-url", handle.graph,
        "--exchange-url", handle.exchange,
        "--defender-url", handle.defender,
        "--ca-bundle", str(handle.ca),
    ]  # fmt: skip
    run_cli(cli, args, _env(base, "2026-11-19T08:00:00Z"))
    return base


def _collect(cli: CliRunner, env: dict[str, str], day: str, now: str) -> None:
    run_cli(cli, ["collect", "--as-of", day, "--throttle-scale", "0.01", "--json"], _env(env, now))


def _finding(cli: CliRunner, env: dict[str, str], now: str, control: str) -> dict[str, Any]:
    out = run_cli(cli, ["assess", "--format", "json"], _env(env, now))
    found: dict[str, Any] = next(
        f for f in json.loads(out.output)["findings"] if f["control_id"] == control
    )
    return found


def test_co_managed_workflow(cli: CliRunner, env: dict[str, str], tenant: SimTenant) -> None:
    day1 = "2026-11-20T06:00:00Z"
    _collect(cli, env, "2026-11-19", day1)
    run_cli(cli, ["drift", "--adopt"], _env(env, day1, "alex"))
    clean = run_cli(cli, ["drift", "--json"], _env(env, day1))
    assert json.loads(clean.output)["drift"] == []

    # an administrator synchronised from on-premises fails IDN-013v1
    admin = tenant.admin_actor()
    assert admin is not None
    finding = _finding(cli, env, day1, CONTROL)
    assert finding["status"] == "fail"
    assert [a["id"] for a in finding["affected"]] == [admin.id]

    # the partner proposes an exception; nobody may approve their own or the partner's
    propose = [
        "exceptions", "propose", "--control", CONTROL, "--scope", admin.id,
        "--justification", "migration to a cloud-only admin account is scheduled",
        "--compensating", "phishing-resistant MFA and PIM activation for this account",
        "--for", "30d",
    ]  # fmt: skip
    run_cli(cli, propose, _env(env, day1, "jordan"))
    by_partner = run_cli(
        cli, ["exceptions", "approve", "EXC-0001"], _env(env, day1, "jordan"), ok=False
    )
    assert isinstance(by_partner.exception, Refused)
    run_cli(cli, propose, _env(env, day1, "alex"))
    own = run_cli(cli, ["exceptions", "approve", "EXC-0002"], _env(env, day1, "alex"), ok=False)
    assert isinstance(own.exception, Refused) and own.exception.kind == "self_approval"
    run_cli(cli, ["exceptions", "approve", "EXC-0001"], _env(env, day1, "alex"))
    accepted = _finding(cli, env, day1, CONTROL)
    assert accepted["status"] == "accepted"
    assert accepted["accepted_by"] == ["EXC-0001"]

    # someone changes Conditional Access outside any change record
    mfa_policy = tenant.policy_id(pol.MFA_ALL)
    tenant.change("conditionalAccessPolicy", mfa_policy, {"state": "disabled"}, admin.upn)
    day2 = "2026-11-21T06:00:00Z"
    _collect(cli, env, "2026-11-20", day2)
    drift = run_cli(cli, ["drift", "--json"], _env(env, day2))
    found = json.loads(drift.output)["drift"]
    ca = [d for d in found if d["object"] == f"conditionalAccessPolicies/{mfa_policy}"]
    assert len(ca) == 1
    assert ca[0]["actor"] == admin.upn
    assert {"path": "state", "old": "enabled", "new": "disabled"} in ca[0]["changes"]

    # a month later the exception has expired by itself and the finding is open again
    later = "2026-12-21T06:00:00Z"
    assert _finding(cli, env, later, CONTROL)["status"] == "fail"
    shown = run_cli(cli, ["exceptions", "show", "EXC-0001", "--json"], _env(env, later))
    assert json.loads(shown.output)["state"] == "expired"
    assert (
        "1 exception(s) expired" in run_cli(cli, ["exceptions", "sweep"], _env(env, later)).output
    )

    assert "verified" in run_cli(cli, ["audit", "verify"], env).output
    store = open_store(f"sqlite:///{Path(env['COSEC_WORKSPACE']) / 'data' / 'cosec.db'}")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET party = 'internal' WHERE actor = 'jordan'"))
    store.dispose()
    tampered = run_cli(cli, ["audit", "verify"], env, ok=False)
    assert tampered.exit_code == 1
