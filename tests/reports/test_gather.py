"""Gathering facts from the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cosec.config import Workspace, load_workspace, settings_from_env
from cosec.metrics.facts import Missing
from cosec.metrics.periods import parse_period
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.reports.gather import compute_history, gather_inputs
from cosec.store.engine import Store
from cosec.store.events import NewEvent, put_events
from cosec.store.metrics import metric_values
from cosec.store.snapshots import save_snapshot

OCT = parse_period("2026-10")
NOW = datetime(2026, 11, 2, tzinfo=UTC)
MACHINES = [{"id": "m1", "computerDnsName": "pc1", "osPlatform": "Windows11", "osBuild": 26100}]


@pytest.fixture
def ws(workspace: Path) -> Workspace:
    return load_workspace(settings_from_env({}, workspace_dir=workspace))


def _snapshot(store: Store, taken: datetime, cves: list[str]) -> None:
    raw: dict[str, list[dict[str, Any]]] = {"mdeMachines": MACHINES}
    outcomes = {
        "mdeMachines": ResourceOutcome("mdeMachines", Outcome.OK, item_count=1),
        "mdeVulnerabilities": ResourceOutcome("mdeVulnerabilities", Outcome.OK),
        "users": ResourceOutcome(
            "users", Outcome.NOT_ASSESSED, "forbidden", permission="User.Read.All"
        ),
    }
    per = {"mdeVulnerabilities": {"m1": [{"id": c, "severity": "Critical"} for c in cves]}}
    with store.session() as s:
        save_snapshot(
            s, Snapshot("main", taken, outcomes, raw, per), started_at=taken, finished_at=taken
        )


def _alert(aid: str, created: datetime, resolved: datetime | None) -> NewEvent:
    raw = {
        "id": aid,
        "title": "Email reported by user as malware or phish",
        "severity": "medium",
        "status": "resolved" if resolved else "new",
        "createdDateTime": created.isoformat(),
        "lastUpdateDateTime": (resolved or created).isoformat(),
        "resolvedDateTime": resolved.isoformat() if resolved else None,
    }
    return NewEvent(aid, created, raw)


def test_facts_from_snapshots_and_events(store: Store, ws: Workspace) -> None:
    start = OCT.start
    _snapshot(store, start - timedelta(days=20), ["CVE-A"])
    _snapshot(store, start + timedelta(days=5), ["CVE-A", "CVE-B"])
    _snapshot(store, start + timedelta(days=25), ["CVE-B"])
    t = start + timedelta(days=3)
    with store.session() as s:
        put_events(
            s, "main", "alerts", [_alert("a1", t, t + timedelta(hours=2)), _alert("a2", t, None)]
        )
    with store.session() as s:
        inputs = gather_inputs(s, ws, "main", OCT, now=NOW)
    assert isinstance(inputs.users, Missing)
    assert "User.Read.All" in inputs.users.reason
    assert not isinstance(inputs.vulnerabilities, Missing)
    vulns = {v.id: v for v in inputs.vulnerabilities}
    assert vulns["CVE-A"].first_seen == start - timedelta(days=20)
    assert vulns["CVE-A"].remediated_at == start + timedelta(days=25)
    assert vulns["CVE-B"].remediated_at is None
    assert not isinstance(inputs.alerts, Missing)
    assert {a.category for a in inputs.alerts} == {"user_reported_phish"}
    assert not isinstance(inputs.exceptions, Missing) and inputs.exceptions.active == 0
    assert not isinstance(inputs.changes, Missing) and inputs.changes.drift_detected == 0


def test_history_is_computed_and_stored_per_period(store: Store, ws: Workspace) -> None:
    _snapshot(store, OCT.start + timedelta(days=2), ["CVE-A"])
    with store.session() as s:
        values = compute_history(s, ws, "main", OCT, 2, now=NOW)
    with store.session() as s:
        stored = metric_values(s, "main", ["2026-09", "2026-10"], keys=["edr_coverage"])
    assert {v.period for v in values} == {"2026-09", "2026-10"}
    assert [(v.period, v.value) for v in stored] == [("2026-09", None), ("2026-10", 100.0)]
    assert stored[0].reason == "no snapshot of main was taken in 2026-09"
    mttr = next(v for v in values if v.key == "vuln_mttr_days" and v.period == "2026-10")
    assert mttr.reason == "no vulnerability remediated in the period"


def test_simulation_results_count_only_delivered_messages(store: Store, ws: Workspace) -> None:
    sim = {"id": "s1", "displayName": "Invoice lure", "completionDateTime": "2026-10-09T17:00:00Z"}
    rows = [
        {
            "simulationEvents": [
                {"eventName": "SuccessfullyDeliveredEmail"},
                {"eventName": "ReportedEmail"},
            ],
            "reportedPhishDateTime": "2026-10-08T10:00:00Z",
        },
        {"simulationEvents": [{"eventName": "SuccessfullyDeliveredEmail"}], "isCompromised": True},
        {"simulationEvents": [{"eventName": "SuccessfullyDeliveredEmail"}]},
        {"simulationEvents": []},  # never delivered
    ]
    launched = OCT.start + timedelta(days=6)
    events = [
        NewEvent(f"s1:u{i}", launched, {"simulation": sim, "result": r}) for i, r in enumerate(rows)
    ]
    with store.session() as s:
        put_events(s, "main", "attackSimulationResults", events)
    with store.session() as s:
        inputs = gather_inputs(s, ws, "main", OCT, now=NOW)
    assert not isinstance(inputs.simulations, Missing)
    (tally,) = inputs.simulations
    assert (tally.delivered, tally.reported, tally.compromised) == (3, 1, 1)
    assert tally.completed_at == datetime(2026, 10, 9, 17, tzinfo=UTC)
