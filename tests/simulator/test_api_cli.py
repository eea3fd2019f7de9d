"""`cosec simulator serve` and `cosec simulator scenarios`, driven as a user drives them."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
from typer.testing import CliRunner

from cosec.cli import app
from cosec.errors import ConfigError
from cosec.simulator.scenarios import SCENARIOS


def test_scenarios_are_listed_with_descriptions(cli: CliRunner) -> None:
    result = cli.invoke(app, ["simulator", "scenarios"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for name in SCENARIOS:
        assert name in result.output


def test_unknown_scenario_and_licence_mix_are_clear_errors(cli: CliRunner, tmp_path: Path) -> None:
    for args in (["--scenario", "nope"], ["--licence-mix", "e9"]):
        result = cli.invoke(
            app, ["simulator", "serve", *args, "--state-dir", str(tmp_path)], env={}
        )
        assert isinstance(result.exception, ConfigError)
        assert "unknown" in str(result.exception)
    assert not (tmp_path / "ca.pem").exists()


def test_serve_prints_json_then_serves_until_stopped(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cosec",
            "simulator",
            "serve",
            "--json",
            "--port",
            "0",
            "--users",
            "12",
            "--days",
            "2",
            "--tenants",
            "2",
            "--latency",
            "none",
            "--scenario",
            "rogue-admin",
            "--state-dir",
            str(tmp_path / "state"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert [t["name"] for t in info["tenants"]] == ["contoso", "fabrikam"]
        assert Path(info["ca"]).exists()
        t = info["tenants"][1]
        assert Path(t["certificate"]).read_text().startswith("-----BEGIN PRIVATE KEY-----")
        ctx = ssl.create_default_context(cafile=info["ca"])
        r = httpx.post(
            f"{info['login']}/{t['tenant_id']}/oauth2/v2.0/token",
            data={
                "grant_type": "client_credentials",
                "client_id": t["client_id"],
                "client_secret": t["client_secret"],
                "scope": "https://graph.microsoft.com/.default",
            },
            verify=ctx,
        )
        access = r.json()["access_token"]
        users = httpx.get(
            f"{info['graph']}/users?$select=id",
            headers={"Authorization": f"Bearer {access}"},
            verify=ctx,
        )
        assert len(users.json()["value"]) >= 10
        health = httpx.get(info["graph"].replace("/v1.0", "/_simulator/health"), verify=ctx)
        assert health.json()["tenants"] == 2
    finally:
        proc.terminate()
        proc.wait(timeout=30)
