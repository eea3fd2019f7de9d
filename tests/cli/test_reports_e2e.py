"""Metrics, reviews and the evidence pack on a simulated tenant, end to end from the CLI:
collect two days, assess, then measure, report, pack and verify."""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import build_tenant

pytestmark = pytest.mark.slow

NOW = "2026-11-20T09:00:00Z"


@pytest.fixture
def env(
    cli: CliRunner, cli_env: dict[str, str], sim_cloud: Callable[..., SimulatorHandle]
) -> dict[str, str]:
    tenant = build_tenant(
        name="contoso", seed=5, users=30, days=10, last_day=date(2026, 11, 20), licence_mix="e5"
    )
    handle = sim_cloud([tenant], window_scale=0.01)
    creds = handle.tenant("contoso")
    base = {**cli_env, "SIM_SECRET": creds.client_secret, "COSEC_NOW": NOW}
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
    run_cli(cli, args, base)
    for day, now in (
        ("2026-11-12", "2026-11-13T06:00:00Z"),
        ("2026-11-19", "2026-11-20T06:00:00Z"),
    ):
        run_cli(
            cli,
            ["collect", "--as-of", day, "--throttle-scale", "0.01", "--json"],
            {**base, "COSEC_NOW": now},
        )
    run_cli(cli, ["assess", "--format", "json"], base)
    return base


def test_measure_report_and_pack_a_simulated_tenant(
    cli: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    out = run_cli(cli, ["metrics", "--period", "2026-11", "--format", "json"], env)
    got: dict[str, dict[str, Any]] = {
        m["key"]: m for m in json.loads(out.output)["contoso"]["metrics"]
    }
    for key in ("mfa_coverage_all", "ca_coverage_all", "edr_coverage", "secure_score"):
        value = got[key]["value"]
        assert value is not None and 0 <= value <= 100, (key, got[key])
    assert got["mfa_coverage_all"]["denominator"] >= 20
    assert got["restore_success_rate"]["reason"] == "no restore test recorded in the period"

    reports = tmp_path / "reports"
    run_cli(cli, ["report", "monthly", "--period", "2026-11", "-o", str(reports)], env)
    pdf = reports / "contoso-monthly-review-2026-11.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "November 2026" in text
    assert f"{got['mfa_coverage_all']['value']:.1f}%" in text
    assert "Top risks" in text and "Proposed mitigation" in text

    pack = tmp_path / "pack.zip"
    run_cli(cli, ["evidence", "pack", "--period", "2026-11", "-o", str(pack)], env)
    with zipfile.ZipFile(pack) as zf:
        findings = json.loads(zf.read("findings.json"))
        raw = [n for n in zf.namelist() if n.startswith("raw/")]
    assert len(findings) >= 60 and raw
    assert "OK" in run_cli(cli, ["evidence", "verify", str(pack)], env).output
