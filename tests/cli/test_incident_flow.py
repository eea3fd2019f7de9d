"""End to end through the CLI against the in-process simulator's mailbox-compromise
scenario: detections fire, an allowed role escalates to an incident, an unauthorised
action is refused and audited, authorised actions change the simulator's state (read back
over HTTPS), containment is checked off, and the timeline and audit trail show it all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.credentials import Credential, Secret, TenantInfo
from cosec.graph import open_tenant_client
from cosec.model.resources import Service
from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import build_tenant
from cosec.store import audit
from cosec.store.engine import open_store


def _register(cli: CliRunner, env: dict[str, str], h: SimulatorHandle) -> None:
    c = h.tenant("contoso")
    args = [
        "--as", "alex", "tenant", "add", "main",
        "--tenant-id", c.tenant_id,
        "--client-id", c.client_id, "--client-secret-env", "SIM_READ",
        "--response-client-id", c.response_client_id, "--response-secret-env", "SIM_RESPOND",
        "--login-url", h.login, "--graph-url", h.graph, "--exchange-url", h.exchange,
        "--defender-url", h.defender, "--ca-bundle", str(h.ca),
    ]  # fmt: skip
    run_cli(
        cli, args, {**env, "SIM_READ": c.client_secret, "SIM_RESPOND": c.response_client_secret}
    )


def _read_back(h: SimulatorHandle, user: str) -> dict[str, Any]:
    """The victim's state as the read-only app sees it over HTTPS."""
    c = h.tenant("contoso")
    info = TenantInfo(
        name="main",
        tenant_id=c.tenant_id,
        display_name=None,
        endpoints={
            "login": h.login,
            "graph": h.graph,
            "exchange": h.exchange,
            "defender": h.defender,
            "ca_bundle": str(h.ca),
        },
        created_at=datetime.now(UTC),
    )
    cred = Credential(c.client_id, "secret", Secret(c.client_secret))

    async def read() -> dict[str, Any]:
        async with open_tenant_client(info, cred) as client:
            u = await client.get_json(
                Service.GRAPH,
                f"users/{user}",
                params={"$select": "id,signInSessionsValidFromDateTime"},
            )
            rules = await client.list_all(
                Service.GRAPH, f"users/{u['id']}/mailFolders/inbox/messageRules"
            )
            (box,) = await client.invoke_exchange("Get-Mailbox", {"Identity": user})
            return {
                "sessions_valid_from": u["signInSessionsValidFromDateTime"],
                "rules": {r["id"] for r in rules},
                "forwarding": box.get("ForwardingSmtpAddress"),
            }

    return asyncio.run(read())


def _json(cli: CliRunner, args: list[str], env: dict[str, str]) -> Any:
    return json.loads(run_cli(cli, [*args, "--json"], env).output)


@pytest.mark.slow
def test_mailbox_compromise_detected_contained_and_audited(
    cli: CliRunner,
    cli_env: dict[str, str],
    sim_cloud: Callable[..., SimulatorHandle],
) -> None:
    tenant = build_tenant(
        name="contoso", seed=7, users=40, days=14, licence_mix="e5",
        scenarios=[ScenarioPlacement("mailbox-compromise")],
    )  # fmt: skip
    h = sim_cloud([tenant], window_scale=0.01)
    env = cli_env
    _register(cli, env, h)
    before_day = tenant.last_day - timedelta(days=3)
    run_cli(cli, ["collect", "--throttle-scale", "0.01", "--as-of", before_day.isoformat()], env)
    run_cli(cli, ["collect", "--throttle-scale", "0.01"], env)

    # detections fire
    (report,) = _json(cli, ["detect"], env)
    assert report["created"] and set(report["skipped"]) == {"DET-DRIFT-001v1"}  # no baseline
    queue = _json(cli, ["alerts", "list"], env)
    forwarding = [a for a in queue if a["rule"] == "DET-FWD-001v1"]
    assert forwarding
    victim = forwarding[0]["subject"]
    fired = {a["rule"] for a in queue if a["subject"] == victim}
    assert fired >= {
        "DET-FWD-001v1", "DET-PHISH-001v1", "DET-SIGNIN-001v1", "DET-RISK-001v1",
        "DET-MFA-001v1",
    }  # fmt: skip
    assert all(a["owner"]["party"] == "partner" for a in queue)
    # a second run over no new events changes nothing
    (again,) = _json(cli, ["detect"], env)
    assert again["created"] == [] and again["reopened"] == []

    ids = [str(a["id"]) for a in queue if a["subject"] == victim]
    run_cli(cli, ["--as", "casey", "alerts", "triage", ids[0]], env)

    # only roles allowed to declare may escalate
    refused = run_cli(cli, ["--as", "casey", "alerts", "escalate", *ids], env, ok=False)
    assert refused.exit_code != 0 and "may not declare" in str(refused.exception)
    run_cli(cli, ["--as", "jordan", "alerts", "escalate", *ids], env)
    (incident,) = _json(cli, ["incidents", "list"], env)
    assert incident["type"] == "mailbox-compromise" and incident["severity"] == "high"
    assert sorted(str(a) for a in incident["alerts"]) == sorted(ids)
    iid = str(incident["id"])

    state0 = _read_back(h, victim)
    assert state0["forwarding"] and state0["rules"]

    # an unauthorised action is refused (and audited below); nothing changes
    denied = run_cli(
        cli, ["--as", "sam", "incidents", "act", iid, "revoke_sessions", "--user", victim,
              "--execute"], env, ok=False,
    )  # fmt: skip
    assert "forbidden by the authority matrix" in str(denied.exception)
    # dry run by default: nothing changes
    dry = run_cli(cli, ["--as", "jordan", "incidents", "act", iid, "revoke_sessions",
                        "--user", victim], env)  # fmt: skip
    assert "Dry run" in dry.output
    assert _read_back(h, victim) == state0

    # authorised actions change the simulator's state
    run_cli(cli, ["--as", "jordan", "incidents", "act", iid, "revoke_sessions", "--user", victim,
                  "--execute"], env)  # fmt: skip
    rule_id = next(a["details"]["rule_id"] for a in forwarding if "rule_id" in a["details"])
    run_cli(cli, ["--as", "jordan", "incidents", "act", iid, "remove_inbox_rule", "--user",
                  victim, "--rule", rule_id, "--execute"], env)  # fmt: skip
    run_cli(cli, ["--as", "jordan", "incidents", "act", iid, "remove_forwarding", "--user",
                  victim, "--execute"], env)  # fmt: skip
    state1 = _read_back(h, victim)
    assert state1["sessions_valid_from"] > state0["sessions_valid_from"]
    assert rule_id in state0["rules"] and rule_id not in state1["rules"]
    assert state1["forwarding"] is None

    # the on-call responder may act first on a disruptive action; approval is owed after
    run_cli(cli, ["--as", "jordan", "incidents", "act", iid, "confirm_compromised", "--user",
                  victim, "--execute"], env)  # fmt: skip
    later = {**env, "COSEC_NOW": (datetime.now(UTC) + timedelta(hours=5)).isoformat()}
    owed = next(
        a
        for a in _json(cli, ["incidents", "show", iid], later)["actions"]
        if a["action"] == "confirm_compromised"
    )
    assert owed["emergency"] and owed["approval_overdue"]
    (flagged,) = _json(cli, ["incidents", "approvals"], later)
    assert flagged["id"] == owed["id"]
    assert owed["after"]["riskState"] == "confirmedCompromised"
    run_cli(cli, ["--as", "alex", "incidents", "approve", iid, str(owed["id"])], env)
    approved = next(
        a
        for a in _json(cli, ["incidents", "show", iid], later)["actions"]
        if a["action"] == "confirm_compromised"
    )
    assert approved["approved_by"] == "alex" and not approved["approval_overdue"]
    assert _json(cli, ["incidents", "approvals"], later) == []

    # a disruptive action by a responder needs a second approver
    run_cli(cli, ["--as", "casey", "incidents", "act", iid, "disable_account", "--user", victim,
                  "--execute"], env)  # fmt: skip
    shown = _json(cli, ["incidents", "show", iid], env)
    pending = [a for a in shown["actions"] if a["status"] == "pending_approval"]
    assert [a["action"] for a in pending] == ["disable_account"]
    own = run_cli(cli, ["--as", "casey", "incidents", "approve", iid, str(pending[0]["id"])], env,
                  ok=False)  # fmt: skip
    assert own.exit_code != 0
    run_cli(cli, ["--as", "alex", "incidents", "approve", iid, str(pending[0]["id"])], env)
    run_cli(cli, ["--as", "casey", "incidents", "act", iid, "disable_account", "--user", victim,
                  "--execute"], env)  # fmt: skip

    # containment checked off, leadership informed, status moves on
    early = run_cli(cli, ["--as", "jordan", "incidents", "status", iid, "contained"], env, ok=False)
    assert "not checked off" in str(early.exception)
    for item in ("1", "2", "3"):
        run_cli(cli, ["--as", "jordan", "incidents", "contain", iid, item], env)
    run_cli(cli, ["--as", "alex", "incidents", "inform", iid, "--who", "sam",
                  "--channel", "phone"], env)  # fmt: skip
    run_cli(cli, ["--as", "jordan", "incidents", "status", iid, "contained"], env)

    shown = _json(cli, ["incidents", "show", iid], env)
    assert shown["status"] == "contained" and shown["contained"]
    statuses = {(a["action"], a["requested_by"]): a["status"] for a in shown["actions"]}
    assert statuses == {
        ("revoke_sessions", "sam"): "refused",
        ("revoke_sessions", "jordan"): "executed",
        ("remove_inbox_rule", "jordan"): "executed",
        ("remove_forwarding", "jordan"): "executed",
        ("disable_account", "casey"): "executed",
        ("confirm_compromised", "jordan"): "executed",
    }
    fwd = next(a for a in shown["actions"] if a["action"] == "remove_forwarding")
    assert fwd["before"]["ForwardingSmtpAddress"] and fwd["after"]["ForwardingSmtpAddress"] is None

    timeline = _json(cli, ["incidents", "timeline", iid], env)
    kinds = [e["kind"] for e in timeline["entries"]]
    for kind in ("event", "detection", "triage", "declaration", "action", "approval",
                 "containment", "communication", "status"):  # fmt: skip
        assert kind in kinds
    assert any("REFUSED" in e["text"] for e in timeline["entries"])
    times = timeline["times"]
    assert times["time_to_detect"] > 0 and times["time_to_contain"] >= 0

    store = open_store(f"sqlite:///{Path(env['COSEC_WORKSPACE']) / 'data' / 'cosec.db'}")
    with store.session() as s:
        actions = [e.action for e in audit.entries(s, tenant="main")]
    store.dispose()
    for expected in ("detect.run", "alert.start", "incident.declare", "incident.action.refused",
                     "incident.action.revoke_sessions", "incident.action.remove_inbox_rule",
                     "incident.action.remove_forwarding", "incident.action.approve",
                     "incident.contain", "incident.inform", "incident.status"):  # fmt: skip
        assert expected in actions
    run_cli(cli, ["audit", "verify"], env)
