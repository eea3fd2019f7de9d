from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from cosec.cli.workspace_cmd import workspace_template
from cosec.config import Role, Severity, parse_duration, parse_workspace, settings_from_env
from cosec.errors import ConfigError

GOOD = workspace_template("Contoso", "MSP", "main")


def test_template_is_valid_and_complete() -> None:
    ws = parse_workspace(GOOD)
    assert ws.organisation.name == "Contoso"
    assert {p.party for p in ws.people} == {"internal", "partner"}
    assert ws.people_with(Role.RISK_OWNER)[0].party == "internal"
    assert set(ws.risk_tiers) == {"admins", "executives", "finance"}
    assert ws.sla.alert_triage[Severity.HIGH] == timedelta(hours=4)
    assert ws.exceptions.max_duration[Severity.CRITICAL] == timedelta(days=30)


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (GOOD.replace("party: partner", "party: vendor", 1), None, "people["),
        (GOOD.replace("roles: [executive]", "roles: [boss]"), None, "roles[0]"),
        (GOOD.replace("high: 4h", "high: soon"), None, "sla.alert_triage.high"),
        ("version: 1\norganisation: {name: x}\npeople: []\n", 3, "people"),
        ("version: 1\norganisation:\n  name: x\n  colour: red\npeople: []\n", 4, "colour"),
    ],
)
def test_errors_name_line_and_field(text: str, line: int | None, field: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_workspace(text, source="cosec.yaml")
    err = info.value
    assert err.path == "cosec.yaml"
    assert err.field is not None and field in err.field
    assert err.line is not None and err.line >= 1
    if line is not None:
        assert err.line == line
    # the reported line really holds the offending key or value
    offending = text.splitlines()[err.line - 1]
    assert offending.strip()


def test_line_points_at_bad_value() -> None:
    text = GOOD.replace("high: 4h", "high: soon")
    with pytest.raises(ConfigError) as info:
        parse_workspace(text)
    assert "soon" in text.splitlines()[info.value.line - 1]  # type: ignore[operator]


def test_invalid_yaml_syntax_has_line() -> None:
    with pytest.raises(ConfigError, match=r"cosec.yaml:3: invalid YAML.*line 2"):
        parse_workspace("version: 1\norganisation: {name: x\n", source="cosec.yaml")


def test_duplicate_people_refused() -> None:
    text = GOOD.replace("id: sam", "id: alex")
    with pytest.raises(ConfigError, match="declared twice"):
        parse_workspace(text)


@pytest.mark.parametrize(
    ("raw", "expected"), [("90m", 5400), ("4h", 14400), ("2d", 172800), ("1w", 604800), (30, 30)]
)
def test_durations(raw: object, expected: int) -> None:
    assert parse_duration(raw).total_seconds() == expected


def test_settings_from_env(tmp_path: Path) -> None:
    s = settings_from_env({"COSEC_WORKSPACE": str(tmp_path), "COSEC_ACTOR": "alex"})
    assert s.actor == "alex"
    assert s.effective_database_url().endswith("data/cosec.db")
    with pytest.raises(ConfigError):
        settings_from_env({}, log_format="xml")
