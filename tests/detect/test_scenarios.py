"""The rules fire on the simulator's planted scenarios, and stay quiet without them.

Events come from the generated tenant's data layer (`TenantData.events_on`), in the shapes
Microsoft's APIs return; the HTTPS path is covered by tests/cli/test_incident_flow.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cosec.detect.catalog import evaluate
from cosec.detect.rules import DetectionInput, EventSet
from cosec.model.events import parse_event
from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.tenant import build_tenant

STREAMS = ("signIns", "directoryAudits", "riskDetections", "alerts")


def _rules_fired(scenario: str | None) -> dict[str, set[str]]:
    placed = [ScenarioPlacement(scenario)] if scenario else []
    t = build_tenant(name="contoso", seed=3, users=20, days=3, licence_mix="e5", scenarios=placed)
    day = t.last_day - timedelta(days=2)
    events = {s: [parse_event(s, raw) for raw in t.events_on(s, day)] for s in STREAMS}
    before = [parse_event("signIns", raw) for raw in t.events_on("signIns", day - timedelta(1))]
    data = DetectionInput(
        tenant="contoso",
        now=datetime.now(UTC),
        events=EventSet(
            sign_ins=events["signIns"],
            directory_audits=events["directoryAudits"],
            risk_detections=events["riskDetections"],
            alerts=events["alerts"],
        ),
        history=EventSet(sign_ins=before),
        streams=frozenset(STREAMS),
    )
    fired: dict[str, set[str]] = {}
    for hit in evaluate(data).hits:
        fired.setdefault(hit.rule_id, set()).add(hit.subject)
    return fired


@pytest.fixture(scope="module")
def quiet() -> dict[str, set[str]]:
    return _rules_fired(None)


@pytest.mark.parametrize(
    ("scenario", "rules"),
    [
        ("rogue-admin", {"DET-ROLE-001v1"}),
        ("ca-policy-disabled", {"DET-CA-001v1"}),
        ("endpoint-isolated", {"DET-EDR-001v1"}),
        (
            "mailbox-compromise",
            {"DET-PHISH-001v1", "DET-SIGNIN-001v1", "DET-RISK-001v1", "DET-MFA-001v1"},
        ),
    ],
)
def test_scenario_fires_its_rules(
    scenario: str, rules: set[str], quiet: dict[str, set[str]]
) -> None:
    fired = _rules_fired(scenario)
    for rule_id in rules:
        new_subjects = fired.get(rule_id, set()) - quiet.get(rule_id, set())
        assert new_subjects, f"{rule_id} did not fire for {scenario}"


def test_quiet_tenant_has_no_scenario_alerts(quiet: dict[str, set[str]]) -> None:
    for rule_id in ("DET-ROLE-001v1", "DET-CA-001v1", "DET-MFA-001v1", "DET-RISK-001v1"):
        assert rule_id not in quiet
