"""`cosec assess`, driven the way a user drives it, on a stored snapshot."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from tests.controls.builder import NOW, secure_tenant
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.config import Settings
from cosec.errors import AuthorizationError, ConfigError, NotFoundError
from cosec.store.engine import open_store
from cosec.store.snapshots import save_snapshot


def _store_snapshot(workspace: Path, *, invites: str = "adminsAndGuestInviters") -> None:
    t = secure_tenant()
    t.one("authorizationPolicy")["allowInvitesFrom"] = invites
    store = open_store(Settings(workspace_dir=workspace).effective_database_url())
    try:
        with store.session() as s:
            save_snapshot(s, t.snapshot(), started_at=NOW, finished_at=NOW)
    finally:
        store.dispose()


def _env(cli_env: dict[str, str], days: int = 0) -> dict[str, str]:
    return {**cli_env, "COSEC_NOW": (NOW + timedelta(days=days)).isoformat()}


def test_table_then_diff_on_the_second_run(
    cli: CliRunner, workspace: Path, cli_env: dict[str, str]
) -> None:
    _store_snapshot(workspace)
    out = run_cli(cli, ["assess"], _env(cli_env)).output
    assert "Identity" in out and "IDN-001v1" in out
    assert "first assessment of this tenant" in out
    _store_snapshot(workspace, invites="everyone")
    out = run_cli(cli, ["assess", "--tenant", "main"], _env(cli_env, 1)).output
    assert "changes since run 1" in out
    assert "regressed: IDN-016v1" in out


def test_machine_formats(cli: CliRunner, workspace: Path, cli_env: dict[str, str]) -> None:
    _store_snapshot(workspace)
    doc = json.loads(run_cli(cli, ["assess", "-f", "json"], _env(cli_env)).output)
    assert doc["tenant"] == "main" and len(doc["findings"]) >= 60
    first = doc["findings"][0]
    assert {"evidence", "owners", "status", "would_pass_with"} <= set(first)
    rows = list(
        csv.DictReader(io.StringIO(run_cli(cli, ["assess", "-f", "csv"], _env(cli_env)).output))
    )
    assert len(rows) == len(doc["findings"])
    events = [
        json.loads(line)
        for line in run_cli(cli, ["assess", "-f", "ocsf"], _env(cli_env)).output.splitlines()
    ]
    assert {e["class_uid"] for e in events} == {2003}
    assert {e["type_uid"] for e in events} == {200301}
    assert all(e["compliance"]["control"] and e["metadata"]["version"] for e in events)
    html = workspace / "report.html"
    run_cli(cli, ["assess", "-f", "html", "-o", str(html)], _env(cli_env))
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "IDN-001v1" in text and "<script" not in text


def test_attest_is_recorded_and_decides_the_control(
    cli: CliRunner, workspace: Path, cli_env: dict[str, str]
) -> None:
    config = workspace / "cosec.yaml"
    declared = "break_glass_accounts: [bg1@contoso.example, bg2@contoso.example]"
    config.write_text(config.read_text().replace("break_glass_accounts: []", declared))
    _store_snapshot(workspace)

    def status() -> str:
        doc = json.loads(run_cli(cli, ["assess", "-f", "json"], _env(cli_env)).output)
        return next(f["status"] for f in doc["findings"] if f["control_id"] == "IDN-010v1")

    assert status() == "not_assessed"
    note = "signed in with bg1, alert fired"
    args = ["--as", "jordan", "assess", "attest", "IDN-010v1", "--note", note]
    run_cli(cli, args, _env(cli_env, -1))
    assert status() == "pass"
    log = run_cli(cli, ["audit", "list"], _env(cli_env)).output
    assert "assess.attest" in log
    run_cli(cli, ["audit", "verify"], _env(cli_env))


def test_errors_are_clear(cli: CliRunner, workspace: Path, cli_env: dict[str, str]) -> None:
    result = run_cli(cli, ["assess"], _env(cli_env), ok=False)
    assert isinstance(result.exception, NotFoundError)
    assert "cosec collect" in str(result.exception)
    result = run_cli(cli, ["assess", "-f", "pdf"], _env(cli_env), ok=False)
    assert result.exit_code != 0
    result = run_cli(
        cli,
        ["--as", "jordan", "assess", "attest", "IDN-010v1", "--note", " "],
        _env(cli_env),
        ok=False,
    )
    assert isinstance(result.exception, ConfigError)
    args = ["--as", "sam", "assess", "attest", "IDN-010v1", "--note", "trust me"]
    result = run_cli(cli, args, _env(cli_env), ok=False)
    assert isinstance(result.exception, AuthorizationError)


def test_controls_list_and_show(cli: CliRunner, cli_env: dict[str, str]) -> None:
    out = run_cli(cli, ["controls", "list", "--area", "email"], cli_env).output
    assert "EML-001v1" in out and "IDN-001v1" not in out
    out = run_cli(cli, ["controls", "show", "IDN-012v1"], cli_env).output
    assert "MS.AAD.7.4v1" in out and "roleEligibilitySchedules" in out
    result = run_cli(cli, ["controls", "show", "IDN-999v1"], cli_env, ok=False)
    assert isinstance(result.exception, NotFoundError)
    result = run_cli(cli, ["controls", "list", "--area", "nope"], cli_env, ok=False)
    assert isinstance(result.exception, NotFoundError)
