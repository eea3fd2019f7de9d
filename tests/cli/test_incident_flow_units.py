"""The alerts and incidents commands on stored events, without a simulator: detection
windows, triage rules, snoozes, declaration rights and refusals (all audited)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.store import audit
from cosec.store.engine import Store, open_store
from cosec.store.events import NewEvent, put_events, set_watermark

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.fixture
def env(cli: CliRunner, cli_env: dict[str, str]) -> dict[str, str]:
    env = {**cli_env, "COSEC_NOW": NOW.isoformat(), "SECRET": "s3cret"}
    run_cli(cli, ["--as", "alex", "tenant", "add", "main", "--tenant-id", "t-1",
                  "--client-id", "read-app", "--client-secret-env", "SECRET"], env)  # fmt: skip
    return env


@pytest.fixture
def store(env: dict[str, str]) -> Iterator[Store]:
    s = open_store(f"sqlite:///{Path(env['COSEC_WORKSPACE']) / 'data' / 'cosec.db'}")
    yield s
    s.dispose()


def _rule_change(at: datetime, rule_id: str, address: str) -> NewEvent:
    raw = {
        "id": f"u1:{rule_id}:added",
        "observedDateTime": at.isoformat(),
        "change": "added",
        "userId": "u1",
        "ruleId": rule_id,
        "rule": {
            "id": rule_id,
            "displayName": "fwd",
            "isEnabled": True,
            "actions": {"forwardTo": [{"emailAddress": {"address": address}}]},
        },
    }
    return NewEvent(raw["id"], at, raw)


def _legacy(at: datetime, upn: str) -> NewEvent:
    raw = {
        "id": f"si-{upn}-{at.isoformat()}",
        "createdDateTime": at.isoformat(),
        "userPrincipalName": upn,
        "clientAppUsed": "IMAP4",
        "status": {"errorCode": 0},
    }
    return NewEvent(raw["id"], at, raw)


def _collected(store: Store, mark: datetime, **streams: list[NewEvent]) -> None:
    with store.session() as s:
        for stream, events in streams.items():
            put_events(s, "main", stream, events)
            set_watermark(s, "main", stream, mark, now=mark)


def _json(cli: CliRunner, args: list[str], env: dict[str, str]) -> Any:
    return json.loads(run_cli(cli, [*args, "--json"], env).output)


def test_detect_reads_each_window_once_including_the_watermark(
    cli: CliRunner, env: dict[str, str], store: Store
) -> None:
    mark = NOW - H
    # the derived rule-change event carries exactly the watermark's time
    _collected(
        store,
        mark,
        messageRuleChanges=[_rule_change(mark, "r1", "x@evil.example")],
        signIns=[_legacy(mark - H, "amy@contoso.com")],
    )
    (first,) = _json(cli, ["detect"], env)
    assert len(first["created"]) == 2
    assert "DET-RISK-001v1" in first["skipped"]  # riskDetections never collected
    (second,) = _json(cli, ["detect"], env)
    assert second["created"] == second["updated"] == []
    # a later window with a repeat of the condition updates the open alert
    later = NOW
    _collected(store, later, signIns=[_legacy(later - H / 2, "amy@contoso.com")])
    (third,) = _json(cli, ["detect", "--tenant", "main"], env)
    assert third["created"] == [] and len(third["updated"]) == 1
    queue = _json(cli, ["alerts", "list"], env)
    legacy = next(a for a in queue if a["rule"] == "DET-LEGACY-001v1")
    assert legacy["occurrences"] == 2 and legacy["first_seen_at"].startswith("2026-11-20 10:00")
    # the forwarding alert names the user id (no snapshot maps it to a UPN) and the rule
    fwd = next(a for a in queue if a["rule"] == "DET-FWD-001v1")
    assert fwd["details"]["rule_id"] == "r1" and fwd["sla"]["due_at"].startswith("2026-11-20 15")


def _one_alert(cli: CliRunner, env: dict[str, str], store: Store) -> str:
    _collected(store, NOW - H, signIns=[_legacy(NOW - 2 * H, "amy@contoso.com")])
    (report,) = _json(cli, ["detect"], env)
    return str(report["created"][0])


def test_triage_rights_and_reasons(cli: CliRunner, env: dict[str, str], store: Store) -> None:
    aid = _one_alert(cli, env, store)
    nobody = run_cli(cli, ["alerts", "triage", aid], env, ok=False)
    assert "needs to know who is acting" in str(nobody.exception)
    exec_ = run_cli(cli, ["--as", "sam", "alerts", "triage", aid], env, ok=False)
    assert "sam (internal) is not analyst" in str(exec_.exception)
    no_reason = run_cli(cli, ["--as", "casey", "alerts", "dismiss", aid, "--reason", " "], env,
                        ok=False)  # fmt: skip
    assert "needs a reason" in str(no_reason.exception)
    run_cli(cli, ["--as", "casey", "alerts", "assign", aid, "casey"], env)
    run_cli(cli, ["--as", "casey", "alerts", "triage", aid], env)
    run_cli(cli, ["--as", "casey", "alerts", "pause", aid, "--reason", "waiting_on_client"], env)
    run_cli(cli, ["--as", "casey", "alerts", "resume", aid], env)
    run_cli(cli, ["--as", "casey", "alerts", "dismiss", aid, "--reason", "service account"], env)
    shown = _json(cli, ["alerts", "show", aid], env)
    assert shown["state"] == "dismissed" and shown["closed"]["by"] == "casey"
    assert [h["action"] for h in shown["history"]] == [
        "raise", "assign", "start", "pause", "resume", "dismiss",
    ]  # fmt: skip
    again = run_cli(cli, ["--as", "casey", "alerts", "dismiss", aid, "--reason", "x"], env,
                    ok=False)  # fmt: skip
    assert "cannot dismiss an alert that is dismissed" in str(again.exception)
    with store.session() as s:
        actions = [e.action for e in audit.entries(s, action_prefix="alert.")]
    assert actions == ["alert.assign", "alert.start", "alert.pause", "alert.resume",
                       "alert.dismiss"]  # fmt: skip


def test_snooze_hides_until_it_ends(cli: CliRunner, env: dict[str, str], store: Store) -> None:
    aid = _one_alert(cli, env, store)
    too_long = run_cli(cli, ["--as", "casey", "alerts", "snooze", aid, "--for", "30d",
                             "--reason", "holiday"], env, ok=False)  # fmt: skip
    assert "limited" in str(too_long.exception)
    bad = run_cli(cli, ["--as", "casey", "alerts", "snooze", aid, "--for", "soon",
                        "--reason", "x"], env, ok=False)  # fmt: skip
    assert "duration" in str(bad.exception)
    run_cli(cli, ["--as", "casey", "alerts", "snooze", aid, "--for", "4h", "--reason", "x"], env)
    assert _json(cli, ["alerts", "list"], env) == []
    assert len(_json(cli, ["alerts", "list", "--all"], env)) == 1
    later = {**env, "COSEC_NOW": (NOW + 5 * H).isoformat()}
    assert [a["id"] for a in _json(cli, ["alerts", "list"], later)] == [int(aid)]


def test_declaration_rights_types_and_refused_actions(
    cli: CliRunner, env: dict[str, str], store: Store
) -> None:
    aid = _one_alert(cli, env, store)
    untyped = run_cli(cli, ["--as", "jordan", "alerts", "escalate", aid], env, ok=False)
    assert "pass --type" in str(untyped.exception)
    unknown = run_cli(cli, ["--as", "jordan", "incidents", "declare", "-t", "main",
                            "--type", "alien-invasion"], env, ok=False)  # fmt: skip
    assert "mailbox-compromise" in str(unknown.exception)
    run_cli(cli, ["--as", "jordan", "alerts", "escalate", aid, "--type", "mailbox-compromise",
                  "--severity", "critical"], env)  # fmt: skip
    (incident,) = _json(cli, ["incidents", "list"], env)
    assert incident["severity"] == "critical" and incident["alerts"] == [int(aid)]
    iid = str(incident["id"])
    missing = run_cli(cli, ["--as", "casey", "incidents", "act", iid, "remove_inbox_rule",
                            "--user", "amy@contoso.com"], env, ok=False)  # fmt: skip
    assert "needs rule" in str(missing.exception)
    # a dry run of an action that needs a second approver records nothing
    dry = run_cli(cli, ["--as", "casey", "incidents", "act", iid, "disable_account",
                        "--user", "amy@contoso.com"], env)  # fmt: skip
    assert "Dry run" in dry.output and "request for a second approver" in dry.output
    # allowed by the matrix, but the tenant has no response app: refused, never the read app
    no_app = run_cli(cli, ["--as", "casey", "incidents", "act", iid, "revoke_sessions",
                           "--user", "amy@contoso.com", "--execute"], env, ok=False)  # fmt: skip
    assert "no response credential" in str(no_app.exception)
    shown = _json(cli, ["incidents", "show", iid], env)
    assert [(a["action"], a["status"]) for a in shown["actions"]] == [
        ("revoke_sessions", "refused")
    ]
    run_cli(cli, ["--as", "alex", "incidents", "note", iid, "called the user"], env)
    earlier = (NOW - H).isoformat()
    run_cli(cli, ["--as", "alex", "incidents", "inform", iid, "--who", "sam", "--at", earlier],
            env)  # fmt: skip
    future = run_cli(cli, ["--as", "alex", "incidents", "inform", iid, "--who", "sam", "--at",
                           (NOW + H).isoformat()], env, ok=False)  # fmt: skip
    assert "future" in str(future.exception)
    entries = _json(cli, ["incidents", "timeline", iid], env)["entries"]
    told = [e for e in entries if e["kind"] == "communication"]
    assert [(e["actor"], e["at"][:16]) for e in told] == [("alex", "2026-11-20 11:00")]
    run_cli(cli, ["--as", "jordan", "incidents", "close", iid, "--note", "false positive"], env)
    closed = run_cli(cli, ["--as", "jordan", "incidents", "act", iid, "revoke_sessions",
                           "--user", "amy@contoso.com"], env, ok=False)  # fmt: skip
    assert "is closed" in str(closed.exception)
    times = _json(cli, ["incidents", "times", "--tenant", "main"], env)
    assert times == {"incidents": 1, "mttd_hours": 2.0, "mtta_hours": 0.0, "mttc_hours": None,
                     "mttr_hours": 0.0}  # fmt: skip
    oncall = run_cli(cli, ["incidents", "oncall"], env)
    assert "business hours" in oncall.output and "partner: jordan" in oncall.output
    with store.session() as s:
        trail = [e.action for e in audit.entries(s, action_prefix="incident.")]
    assert trail == ["incident.declare", "incident.action.refused", "incident.note",
                     "incident.inform", "incident.status"]  # fmt: skip
