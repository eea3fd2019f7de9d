"""The demo's incident chain runs on its own and reports what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosec.cli.incidents_demo import run_incident_demo


@pytest.mark.slow
def test_incident_demo_contains_the_compromise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines: list[str] = []
    result = run_incident_demo(tmp_path, echo=lines.append)
    assert result.refused
    assert {"DET-FWD-001v1", "DET-PHISH-001v1", "DET-MFA-001v1"} <= set(result.alerts)
    assert result.before["forwarding"] and result.after["forwarding"] is None
    assert result.before["inbox_rules"] and result.after["inbox_rules"] == []
    assert result.after["sessions_valid_from"] > result.before["sessions_valid_from"]
    assert any(line.startswith("refused: sam") for line in lines)
    printed = capsys.readouterr().out
    assert "INC-1 is contained" in printed and "time to contain" in printed
