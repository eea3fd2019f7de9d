"""The operating-model commands, driven exactly as a user would (snapshots stored directly)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from tests.governance.snapshots import audit_event, ca_policy, snapshot
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.errors import AuthorizationError, ConfigError
from cosec.governance.decisions import Refused
from cosec.model.snapshot import Snapshot
from cosec.store.engine import open_store
from cosec.store.events import NewEvent, put_events
from cosec.store.snapshots import save_snapshot

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def _env(cli_env: dict[str, str], at: datetime, who: str | None = None) -> dict[str, str]:
    env = {**cli_env, "COSEC_NOW": at.isoformat()}
    if who:
        env["COSEC_ACTOR"] = who
    return env


def _store_snapshot(workspace: Path, snap: Snapshot, events: list[dict[str, object]] = ()) -> None:  # type: ignore[assignment]
    store = open_store(f"sqlite:///{workspace / 'data' / 'cosec.db'}")
    with store.session() as s:
        save_snapshot(s, snap, started_at=snap.taken_at, finished_at=snap.taken_at)
        put_events(
            s,
            snap.tenant,
            "directoryAudits",
            [
                NewEvent(str(e["id"]), datetime.fromisoformat(str(e["activityDateTime"])), e)
                for e in events
            ],
        )
    store.dispose()


def test_raci_show_validate_export(cli: CliRunner, cli_env: dict[str, str], tmp_path: Path) -> None:
    assert "identity" in run_cli(cli, ["raci", "show"], cli_env).output
    assert "valid: 32 cells" in run_cli(cli, ["raci", "validate"], cli_env).output
    out = tmp_path / "map.csv"
    run_cli(cli, ["raci", "export", "--format", "csv", "-o", str(out)], cli_env)
    assert out.read_text().startswith("area,duty,party,role")
    md = run_cli(cli, ["raci", "export"], cli_env).output
    assert md.startswith("# Responsibility map")
    bad = run_cli(cli, ["raci", "export", "--format", "pdf"], cli_env, ok=False)
    assert bad.exit_code == 2
    config = Path(cli_env["COSEC_WORKSPACE"]) / "cosec.yaml"
    config.write_text(
        config.read_text().replace("  overrides: {}\n", "  overrides: {email: {respond: null}}\n")
    )
    result = run_cli(cli, ["raci", "validate"], cli_env, ok=False)
    assert result.exit_code == 1
    assert "email/respond unowned" in result.output


def test_exception_lifecycle_with_separation_of_duties(
    cli: CliRunner, cli_env: dict[str, str]
) -> None:
    propose = [
        "exceptions",
        "propose",
        "--control",
        "IDN-001v1",  # critical in the catalog: at most 30 days
        "-j",
        "scanner cannot do MFA",
        "--compensating",
        "named location only",
        "-s",
        "u-scan",
    ]
    no_actor = run_cli(cli, [*propose, "--for", "30d"], _env(cli_env, T0), ok=False)
    assert isinstance(no_actor.exception, AuthorizationError)
    never = run_cli(cli, propose, _env(cli_env, T0, "jordan"), ok=False)
    assert isinstance(never.exception, Refused) and never.exception.kind == "no_expiry"
    too_long = run_cli(cli, [*propose, "--for", "120d"], _env(cli_env, T0, "jordan"), ok=False)
    assert isinstance(too_long.exception, Refused)
    ok = run_cli(cli, [*propose, "--for", "30d"], _env(cli_env, T0, "jordan"))
    assert "EXC-0001 proposed" in ok.output
    by_partner = run_cli(
        cli, ["exceptions", "approve", "EXC-0001"], _env(cli_env, T0, "jordan"), ok=False
    )
    assert isinstance(by_partner.exception, Refused)
    run_cli(
        cli,
        ["exceptions", "approve", "EXC-0001", "-n", "ok for a month"],
        _env(cli_env, T0, "alex"),
    )
    shown = json.loads(
        run_cli(cli, ["exceptions", "show", "EXC-0001", "--json"], _env(cli_env, T0)).output
    )
    assert (shown["state"], shown["approver"], shown["requester"]) == ("approved", "alex", "jordan")
    assert shown["permanent"] is False
    listed = run_cli(cli, ["exceptions", "list", "--json"], _env(cli_env, T0 + timedelta(days=31)))
    assert json.loads(listed.output)[0]["state"] == "expired"  # as of now, before any job
    renewal = run_cli(
        cli,
        ["exceptions", "renew", "EXC-0001", "--for", "30d"],
        _env(cli_env, T0 + timedelta(days=25), "jordan"),
    )
    assert "EXC-0002 proposed as renewal 1 of EXC-0001" in renewal.output
    run_cli(
        cli,
        ["exceptions", "reject", "EXC-0002", "-n", "fix the scanner"],
        _env(cli_env, T0, "alex"),
    )
    sweep = run_cli(cli, ["exceptions", "sweep"], _env(cli_env, T0 + timedelta(days=24)))
    assert "1 reminder(s) queued" in sweep.output
    assert "EXC-0001" in run_cli(cli, ["exceptions", "outbox"], cli_env).output
    run_cli(cli, ["exceptions", "sweep"], _env(cli_env, T0 + timedelta(days=30)))
    stats = json.loads(
        run_cli(cli, ["exceptions", "stats"], _env(cli_env, T0 + timedelta(days=30))).output
    )
    assert stats["never_expiring_refused"] == 2 and stats["pending"] == 0
    exported = Path(cli_env["COSEC_WORKSPACE"]) / "audit.jsonl"
    run_cli(cli, ["audit", "export", "-o", str(exported)], cli_env)
    actions = [json.loads(line)["action"] for line in exported.read_text().splitlines()]
    assert actions == [
        "exception.propose.refused",  # no expiry
        "exception.propose.refused",  # too long
        "exception.propose",
        "exception.approve.refused",  # by the partner
        "exception.approve",
        "exception.renew",
        "exception.reject",
        "exception.expire",
    ]
    assert "verified" in run_cli(cli, ["audit", "verify"], cli_env).output


def test_unknown_tenant_is_refused_before_anything_is_written(
    cli: CliRunner, cli_env: dict[str, str]
) -> None:
    args = ["exceptions", "propose", "-c", "IDN-001v1", "-j", "x", "--compensating", "y"]
    result = run_cli(
        cli, [*args, "--for", "1d", "--tenant", "nope"], _env(cli_env, T0, "jordan"), ok=False
    )
    assert "no tenant 'nope' (known: main)" in str(result.exception)
    assert "0 entries" in run_cli(cli, ["audit", "verify"], cli_env).output


def test_unknown_control_needs_severity(cli: CliRunner, cli_env: dict[str, str]) -> None:
    result = run_cli(
        cli,
        ["exceptions", "propose", "-c", "NOPE-1", "-j", "x", "--compensating", "y", "--for", "1d"],
        _env(cli_env, T0, "jordan"),
        ok=False,
    )
    assert isinstance(result.exception, ConfigError)
    assert "no control 'NOPE-1'" in str(result.exception)


def test_changes_and_drift_from_the_cli(cli: CliRunner, cli_env: dict[str, str]) -> None:
    ws = Path(cli_env["COSEC_WORKSPACE"])
    _store_snapshot(ws, snapshot(T0, {"conditionalAccessPolicies": [ca_policy("p1")]}))
    no_baseline = run_cli(cli, ["drift"], _env(cli_env, T0), ok=False)
    assert "no approved baseline" in str(no_baseline.exception)
    run_cli(cli, ["drift", "--adopt"], _env(cli_env, T0, "alex"))
    assert "0 unapproved drift" in run_cli(cli, ["drift"], _env(cli_env, T0)).output
    window = T0 + timedelta(days=1)
    run_cli(
        cli,
        [
            "changes",
            "open",
            "--title",
            "Exclude scanner",
            "-o",
            "conditionalAccessPolicies/p1",
            "--start",
            window.isoformat(),
        ],
        _env(cli_env, T0, "jordan"),
    )
    run_cli(cli, ["changes", "approve", "CHG-0001"], _env(cli_env, T0, "alex"))
    edited = window + timedelta(hours=1)
    _store_snapshot(
        ws,
        snapshot(
            window + timedelta(hours=6),
            {
                "conditionalAccessPolicies": [
                    ca_policy("p1", exclude_users=("u-scan",)),
                    ca_policy("p2", name="Rogue policy", state="disabled"),
                ]
            },
        ),
        [
            audit_event("p1", edited.isoformat(), "jordan@msp.example"),
            audit_event(
                "p2", (edited + timedelta(hours=2)).isoformat(), "eve@contoso.com", "Add policy"
            ),
        ],
    )
    later = _env(cli_env, window + timedelta(hours=7))
    drift = run_cli(cli, ["drift"], later, ok=False)
    assert drift.exit_code == 1
    assert "within CHG-0001" in drift.output
    assert "DRIFT-0001 unapproved" in drift.output and "eve@contoso.com" in drift.output
    report = json.loads(run_cli(cli, ["drift", "--json"], later).output)
    assert [(d["object"], d["actor"], d["new"]) for d in report["drift"]] == [
        ("conditionalAccessPolicies/p2", "eve@contoso.com", False)
    ]
    run_cli(
        cli, ["changes", "close", "CHG-0001"], _env(cli_env, window + timedelta(hours=7), "jordan")
    )
    refused = run_cli(
        cli, ["drift", "--accept", "DRIFT-0001"], _env(cli_env, window, "jordan"), ok=False
    )
    assert isinstance(refused.exception, Refused)
    run_cli(
        cli, ["drift", "--accept", "DRIFT-0001"], _env(cli_env, window + timedelta(hours=8), "alex")
    )
    assert "0 unapproved drift" in run_cli(cli, ["drift"], later).output
    listed = json.loads(run_cli(cli, ["changes", "list", "--json"], cli_env).output)
    assert listed[0]["state"] == "closed"


def test_tampering_with_a_decision_is_caught(cli: CliRunner, cli_env: dict[str, str]) -> None:
    args = [
        "exceptions",
        "propose",
        "-c",
        "X-1",
        "--severity",
        "low",
        "-j",
        "j",
        "--compensating",
        "c",
    ]
    run_cli(cli, [*args, "--for", "10d"], _env(cli_env, T0, "jordan"))
    run_cli(cli, ["exceptions", "approve", "EXC-0001"], _env(cli_env, T0, "alex"))
    ws = Path(cli_env["COSEC_WORKSPACE"])
    store = open_store(f"sqlite:///{ws / 'data' / 'cosec.db'}")
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET actor = 'jordan' WHERE action = 'exception.approve'")
        )
    store.dispose()
    result = run_cli(cli, ["audit", "verify"], cli_env, ok=False)
    assert result.exit_code == 1 and "edited" in result.output


def test_review_note_from_the_cli(cli: CliRunner, cli_env: dict[str, str]) -> None:
    args = ["exceptions", "propose", "-c", "X-1", "--severity", "low", "-j", "j"]
    run_cli(cli, [*args, "--compensating", "c", "--for", "10d"], _env(cli_env, T0, "jordan"))
    out = run_cli(cli, ["exceptions", "note", "exc-0001", "-n", "seen"], _env(cli_env, T0, "sam"))
    assert "EXC-0001: note recorded (1 in total)" in out.output
    shown = run_cli(cli, ["exceptions", "show", "EXC-0001"], _env(cli_env, T0)).output
    assert "sam: seen" in shown


def test_exception_scope_is_shown_by_name_before_approval(
    cli: CliRunner, cli_env: dict[str, str]
) -> None:
    from tests.controls.builder import secure_tenant

    snap = secure_tenant(T0 - timedelta(hours=1)).snapshot()
    _store_snapshot(Path(cli_env["COSEC_WORKSPACE"]), snap)
    env = _env(cli_env, T0, "jordan")
    proposed = run_cli(
        cli,
        ["exceptions", "propose", "--control", "IDN-001v1", "-j", "scanners", "--compensating",
         "named location", "-s", "clerk", "-s", "bg1@contoso.example", "-s", "gone", "--for",
         "7d", "--risk-owner", "alex"],
        env,
    ).output  # fmt: skip
    assert "Clerk (clerk@contoso.example), Finance user" in proposed
    assert "⚠ privileged Bg1 (bg1@contoso.example)" in proposed
    assert "gone (not in the latest collection)" in proposed
    shown = json.loads(run_cli(cli, ["exceptions", "show", "EXC-0001", "--json"], env).output)
    assert "Clerk (clerk@contoso.example), Finance user" in shown["scope_named"]
    assert "Bg1 (bg1@contoso.example), Global Administrator" in shown["scope_named"]
    approved = run_cli(cli, ["exceptions", "approve", "EXC-0001"], _env(cli_env, T0, "alex"))
    assert "Clerk (clerk@contoso.example), Finance user" in approved.output
