"""Event parsers accept Microsoft's documented examples and never crash on odd values."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cosec.model.events import (
    PARSERS,
    Alert,
    DirectoryAudit,
    Incident,
    MessageRuleChange,
    SignIn,
    SimulationUser,
    parse_alert,
    parse_datetime,
    parse_directory_audit,
    parse_event,
    parse_incident,
    parse_message_rule,
    parse_message_rule_change,
    parse_risk_detection,
    parse_sign_in,
    parse_simulation_user,
)

EXAMPLES = Path(__file__).parents[1] / "data" / "graph" / "examples"

STREAM_EXAMPLES = {
    "signIns": ["signins-list.1.json", "signins-list.2.json"],
    "directoryAudits": ["directoryaudits-list.1.json", "directoryaudits-list.2.json"],
    "riskDetections": ["riskdetections-list.json"],
    "alerts": ["security-alerts_v2-list.json"],
    "incidents": ["security-incidents-list.1.json", "security-incidents-list.2.json"],
    "attackSimulationResults": ["attacksimulation-simulationusers-list.json"],
}


def _items(name: str) -> list[dict[str, Any]]:
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = data["value"]
    return items


@pytest.mark.parametrize(
    ("stream", "name"), [(s, n) for s, names in STREAM_EXAMPLES.items() for n in names]
)
def test_every_documented_example_parses(stream: str, name: str) -> None:
    items = _items(name)
    assert items
    for raw in items:
        event = parse_event(stream, raw)
        assert event.raw == raw


def test_sign_in_fields() -> None:
    s = parse_sign_in(_items("signins-list.1.json")[0])
    assert isinstance(s, SignIn)
    assert s.user_principal_name == "testaccount1@contoso.com"
    assert s.country == "US"
    assert s.created_at == datetime(2020, 3, 13, 19, 15, 41, 619583, tzinfo=UTC)
    assert s.succeeded
    assert not s.legacy_auth
    assert s.latitude == pytest.approx(47.68, abs=0.01)


def test_directory_audit_reads_capitalised_type_key() -> None:
    a = parse_directory_audit(_items("directoryaudits-list.1.json")[0])
    assert isinstance(a, DirectoryAudit)
    assert a.activity == "Add member to group"
    assert [t.type for t in a.targets] == ["Group", "User"]
    assert a.targets[0].new_value("action client name") == "DirectorySync"
    assert a.initiator == "bob@wingtiptoysonline.com"
    assert a.succeeded


def test_risk_detection_keeps_invalid_ip_raw() -> None:
    d = parse_risk_detection(_items("riskdetections-list.json")[0])
    assert d.ip_address == "123.456.7.89"
    assert d.risk_level == "medium"
    assert d.country == "US"


def test_alert_evidence_gives_devices() -> None:
    a = parse_alert(_items("security-alerts_v2-list.json")[0])
    assert isinstance(a, Alert)
    assert a.device_ids == ("73e7e2de709dff64ef64b1d0c30e67fab63279db",)
    assert a.severity == "low"
    assert a.occurred_at == datetime(2021, 4, 26, 7, 45, 50, 116000, tzinfo=UTC)


def test_incident_keeps_pascal_case_enums() -> None:
    i = parse_incident(_items("security-incidents-list.1.json")[0])
    assert isinstance(i, Incident)
    assert i.classification == "TruePositive"
    assert i.severity == "Medium"


def test_simulation_user() -> None:
    u = parse_simulation_user(_items("attacksimulation-simulationusers-list.json")[0])
    assert u.email == "reed@contoso.com"
    assert u.is_compromised is True
    assert u.reported_phish_at is not None


def test_simulation_user_as_the_collector_stores_it() -> None:
    row = _items("attacksimulation-simulationusers-list.json")[0]
    stored = {"simulation": {"id": "sim-1", "displayName": "Payroll lure"}, "result": row}
    u = parse_event("attackSimulationResults", stored)
    assert isinstance(u, SimulationUser)
    assert (u.simulation_id, u.simulation_name, u.email) == (
        "sim-1", "Payroll lure", "reed@contoso.com",
    )  # fmt: skip
    assert u.raw == stored and u.oddities == ()
    odd = parse_simulation_user({"simulation": "x", "result": {"isCompromised": "maybe"}})
    assert odd.simulation_id is None and len(odd.oddities) == 2


def test_message_rule_example() -> None:
    rule = parse_message_rule(_items("messagerules-list.json")[0])
    assert rule.deletes
    assert rule.forward_to == ()


def test_message_rule_change_with_forwarding() -> None:
    raw = {
        "id": "u1:r1",
        "observedDateTime": "2026-11-20T10:00:00Z",
        "changeType": "added",
        "userId": "u1",
        "userPrincipalName": "a@contoso.com",
        "rule": {
            "id": "r1",
            "displayName": "x",
            "isEnabled": True,
            "actions": {"forwardTo": [{"emailAddress": {"address": "evil@outside.example"}}]},
            "conditions": {"fromAddresses": [{"emailAddress": {"address": "ceo@contoso.com"}}]},
        },
    }
    change = parse_message_rule_change(raw)
    assert isinstance(change, MessageRuleChange)
    assert change.change == "added"
    assert change.rule.forward_to == ("evil@outside.example",)
    assert change.rule.targets_sender


@pytest.mark.parametrize("stream", sorted(PARSERS))
@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"id": 5, "createdDateTime": "String", "status": "oops", "location": []},
        {"value": None, "evidence": "x", "targetResources": [1, "a"], "rule": 3},
        {"detectedDateTime": "String (timestamp)", "isCompromised": "Boolean"},
    ],
)
def test_odd_values_are_reported_not_raised(stream: str, raw: dict[str, Any]) -> None:
    event = parse_event(stream, raw)
    assert event.raw == raw


def test_odd_value_named_in_oddities() -> None:
    s = parse_sign_in({"id": "x", "createdDateTime": "String", "status": {"errorCode": "zero"}})
    assert s.created_at is None
    assert s.error_code is None
    assert any(o.startswith("createdDateTime") for o in s.oddities)
    assert any(o.startswith("errorCode") for o in s.oddities)


def test_unknown_stream_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no parser for stream 'bogus'"):
        parse_event("bogus", {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-27T12:19:27.7211305Z", datetime(2021, 4, 27, 12, 19, 27, 721130, tzinfo=UTC)),
        ("2021-01-01T01:02:01.01Z", datetime(2021, 1, 1, 1, 2, 1, 10000, tzinfo=UTC)),
        ("2021-01-01T01:02:01+02:00", datetime(2020, 12, 31, 23, 2, 1, tzinfo=UTC)),
        ("2021-01-01", datetime(2021, 1, 1, tzinfo=UTC)),
        ("String", None),
        ("", None),
    ],
)
def test_parse_datetime(text: str, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected
