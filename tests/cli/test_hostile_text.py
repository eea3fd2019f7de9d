"""Tenant and configuration text is hostile: printed as text, written as inert CSV cells.

Each test drives the CLI the way a user does, with names an attacker controls (an inbox
rule, a user's display name, a sign-in's UPN, free text in cosec.yaml).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.controls.builder import NOW as SNAPSHOT_AT
from tests.controls.builder import secure_tenant
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.cli.common import console
from cosec.config import Settings
from cosec.store.engine import Store, open_store
from cosec.store.events import NewEvent, put_events, set_watermark
from cosec.store.snapshots import save_snapshot

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)

MARKUP = ["[/bold]", "[link=http://x]y[/link]"]
ESCAPES = {"\x1b[2J": "\\x1b[2J", "\x1b]0;pwned\x07": "\\x1b]0;pwned\\x07"}
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3", "\tx"]


def _assert_shown_as_text(output: str, *hostile: str) -> None:
    assert "\x1b" not in output and "\x07" not in output
    for text in hostile:
        shown = ESCAPES.get(text, text)
        assert shown in output, f"{shown!r} not in output"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that no table cell wraps, so a name is found in one piece."""
    monkeypatch.setattr(console, "_width", 400)


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


def _legacy_sign_in(store: Store, upn: str) -> None:
    at = NOW - 2 * H
    raw = {
        "id": f"si-{upn}",
        "createdDateTime": at.isoformat(),
        "userPrincipalName": upn,
        "clientAppUsed": "IMAP4",
        "status": {"errorCode": 0},
    }
    with store.session() as s:
        put_events(s, "main", "signIns", [NewEvent(raw["id"], at, raw)])
        set_watermark(s, "main", "signIns", NOW - H, now=NOW - H)


@pytest.mark.parametrize("hostile", [*MARKUP, *ESCAPES])
def test_alert_and_incident_views_print_hostile_names_as_text(
    cli: CliRunner, env: dict[str, str], store: Store, hostile: str
) -> None:
    _legacy_sign_in(store, f"amy{hostile}@contoso.com")
    (report,) = json.loads(run_cli(cli, ["detect", "--json"], env).output)
    aid = str(report["created"][0])
    _assert_shown_as_text(run_cli(cli, ["alerts", "list"], env).output, hostile)
    _assert_shown_as_text(run_cli(cli, ["alerts", "show", aid], env).output, hostile)
    run_cli(cli, ["--as", "jordan", "alerts", "escalate", aid, "--type", "mailbox-compromise"],
            env)  # fmt: skip
    (incident,) = json.loads(run_cli(cli, ["incidents", "list", "--json"], env).output)
    iid = str(incident["id"])
    run_cli(cli, ["--as", "alex", "incidents", "note", iid, f"note {hostile}"], env)
    _assert_shown_as_text(run_cli(cli, ["incidents", "timeline", iid], env).output, hostile)
    _assert_shown_as_text(run_cli(cli, ["incidents", "show", iid], env).output)


def _snapshot_with_admin_named(workspace: Path, name: str) -> None:
    t = secure_tenant()
    admin = t.user("eve", methods=())
    admin["displayName"] = name
    admin["userPrincipalName"] = f"{name}@contoso.com"
    t.role("eve")
    store = open_store(Settings(workspace_dir=workspace).effective_database_url())
    try:
        with store.session() as s:
            save_snapshot(s, t.snapshot(), started_at=SNAPSHOT_AT, finished_at=SNAPSHOT_AT)
    finally:
        store.dispose()


@pytest.mark.parametrize("hostile", [*MARKUP, *ESCAPES])
def test_assess_table_prints_hostile_object_names_as_text(
    cli: CliRunner, workspace: Path, cli_env: dict[str, str], hostile: str
) -> None:
    _snapshot_with_admin_named(workspace, hostile)
    env = {**cli_env, "COSEC_NOW": SNAPSHOT_AT.isoformat()}
    _assert_shown_as_text(run_cli(cli, ["assess"], env).output, hostile)


def test_assess_csv_neutralises_formula_cells(
    cli: CliRunner, workspace: Path, cli_env: dict[str, str]
) -> None:
    _snapshot_with_admin_named(workspace, FORMULAS[0])
    env = {**cli_env, "COSEC_NOW": SNAPSHOT_AT.isoformat()}
    text = run_cli(cli, ["assess", "-f", "csv"], env).output
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = [v for row in rows for v in row.values()]
    # the admin's UPN alone fills the `affected` cell of the MFA findings
    assert any(c.startswith("'" + FORMULAS[0]) for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def _override_raci(cli_env: dict[str, str], escalation: str, source: str) -> None:
    """Free text in cosec.yaml's responsibility map (JSON strings are YAML strings)."""
    config = Path(cli_env["COSEC_WORKSPACE"]) / "cosec.yaml"
    cells = (
        f"{{endpoint: {{configure: {{escalation: {json.dumps(escalation)}}}, "
        f"evidence: {{evidence_source: {json.dumps(source)}}}}}}}"
    )
    text = config.read_text()
    assert "  overrides: {}\n" in text
    config.write_text(text.replace("  overrides: {}\n", f"  overrides: {cells}\n"))


@pytest.mark.parametrize("hostile", [*MARKUP, *ESCAPES])
def test_raci_show_prints_config_text_as_text(
    cli: CliRunner, cli_env: dict[str, str], hostile: str
) -> None:
    _override_raci(cli_env, hostile, f"portal {hostile}")
    _assert_shown_as_text(run_cli(cli, ["raci", "show"], cli_env).output, hostile)


@pytest.mark.parametrize("formula", FORMULAS)
def test_raci_csv_export_neutralises_formula_cells(
    cli: CliRunner, cli_env: dict[str, str], tmp_path: Path, formula: str
) -> None:
    _override_raci(cli_env, formula, formula)
    out = tmp_path / "map.csv"
    run_cli(cli, ["raci", "export", "--format", "csv", "-o", str(out)], cli_env)
    cells = [c for row in csv.reader(io.StringIO(out.read_text())) for c in row]
    assert cells.count("'" + formula) == 2  # the escalation and the evidence source
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
