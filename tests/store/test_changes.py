from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect
from tests.governance.snapshots import audit_event, ca_policy, snapshot

from cosec.cli.workspace_cmd import workspace_template
from cosec.config import parse_workspace
from cosec.errors import NotFoundError
from cosec.governance.audit import verify_chain
from cosec.governance.decisions import Refused
from cosec.model.snapshot import Snapshot
from cosec.store import audit
from cosec.store import changes as repo
from cosec.store.engine import (
    Store,
    alembic_config,
    current_heads,
    is_up_to_date,
    make_engine,
    upgrade,
)

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)
WS = parse_workspace(workspace_template("Contoso", "MSP", "main"))
ALEX, JORDAN = WS.person("alex"), WS.person("jordan")
CA = "conditionalAccessPolicies"


def _snap(at: datetime, *policies: dict[str, object], unreadable: tuple[str, ...] = ()) -> Snapshot:
    raw = {
        CA: list(policies),
        "securityDefaults": [{"id": "00000000-0000-0000-0000-000000000005", "isEnabled": False}],
    }
    for key in unreadable:
        raw.pop(key, None)
    return snapshot(at, raw, unreadable=unreadable)  # type: ignore[arg-type]


def _adopt(store: Store, snap: Snapshot) -> dict[str, int]:
    with store.session() as s:
        return repo.adopt_baseline(s, tenant="main", snapshot=snap, person=ALEX, now=T0)


def _check(
    store: Store, snap: Snapshot, events: list[dict[str, object]] | None = None
) -> repo.DriftReport:
    with store.session() as s:
        return repo.check_drift(
            s, tenant="main", snapshot=snap, audit_events=events or [], now=snap.taken_at
        )


def test_adoption_is_a_change_approvers_audited_decision(store: Store) -> None:
    snap = _snap(T0, ca_policy("p1"), unreadable=("securityDefaults",))
    with pytest.raises(Refused), store.session() as s:
        repo.adopt_baseline(s, tenant="main", snapshot=snap, person=JORDAN, now=T0)
    assert _adopt(store, snap) == {CA: 1}
    with pytest.raises(Refused) as again:
        _adopt(store, snap)
    assert again.value.kind == "baseline_exists"
    # a resource readable later is adopted on its own
    assert _adopt(store, _snap(T0, ca_policy("p1"))) == {"securityDefaults": 1}
    with store.session() as s:
        entries = list(audit.entries(s))
    assert [e.action for e in entries] == ["baseline.adopt", "baseline.adopt"]
    assert "securityDefaults" in entries[0].note
    assert verify_chain(entries) == []


def test_unapproved_change_is_drift_with_its_actor(store: Store) -> None:
    _adopt(store, _snap(T0, ca_policy("p1")))
    later = T0 + timedelta(days=2)
    changed = _snap(later, ca_policy("p1", exclude_users=("u-9",), modified="2026-11-02T10:00Z"))
    events = [audit_event("p1", "2026-11-02T10:00:00Z", "eve@contoso.com")]
    report = _check(store, changed, events)
    (drift,) = report.new
    assert (drift.key, drift.kind, drift.actor) == (f"{CA}/p1", "changed", "eve@contoso.com")
    assert drift.acted_at == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert drift.changes[0]["path"] == "conditions.users.excludeUsers"
    # checking again does not duplicate it
    again = _check(store, changed, events)
    assert again.new == [] and [d.id for d in again.still_open] == [drift.id]
    with store.session() as s:
        counts = repo.drift_counts(s, "main", T0, later + timedelta(days=1))
    assert (counts.detected, counts.open_now, counts.attributed) == (1, 1, 1)


def test_reverting_closes_drift_and_unreadable_resources_are_not_judged(store: Store) -> None:
    _adopt(store, _snap(T0, ca_policy("p1")))
    _check(store, _snap(T0 + timedelta(days=1), ca_policy("p1", state="disabled")))
    unreadable = _check(store, _snap(T0 + timedelta(days=2), unreadable=(CA,)))
    assert unreadable.unreadable == [CA] and unreadable.reverted == []
    back = _check(store, _snap(T0 + timedelta(days=3), ca_policy("p1")))
    assert [d.state for d in back.reverted] == ["reverted"]
    with store.session() as s:
        assert repo.list_drift(s, tenant="main", state="open") == []


def test_approved_change_covers_then_closing_moves_the_baseline(store: Store) -> None:
    _adopt(store, _snap(T0, ca_policy("p1")))
    window = T0 + timedelta(days=1)
    with store.session() as s:
        change = repo.open_change(
            s,
            tenant="main",
            title="Exclude scanner from MFA",
            objects=[f"{CA}/p1"],
            window_start=window,
            window_end=window + timedelta(hours=2),
            requester=JORDAN,
            now=T0,
        )
    with pytest.raises(Refused), store.session() as s:
        repo.approve_change(s, change.id, person=JORDAN, now=T0)
    with store.session() as s:
        repo.approve_change(s, change.id, person=ALEX, now=T0)
    after = _snap(window + timedelta(hours=5), ca_policy("p1", exclude_users=("u-scan",)))
    events = [audit_event("p1", (window + timedelta(minutes=30)).isoformat(), "jordan@msp")]
    report = _check(store, after, events)
    assert report.new == []
    assert [(d.key, cid) for d, cid in report.within_changes] == [(f"{CA}/p1", change.id)]
    # the same edit made outside the window is drift
    outside = [audit_event("p1", (window + timedelta(hours=4)).isoformat(), "jordan@msp")]
    assert len(_check(store, after, outside).new) == 1
    with store.session() as s:
        closed = repo.close_change(s, change.id, person=JORDAN, now=after.taken_at, snapshot=after)
    assert closed.closed_by == "jordan"
    settled = _check(store, after)
    assert settled.new == [] and settled.within_changes == [] and settled.still_open == []
    with store.session() as s:
        assert repo.baseline_objects(s, "main", CA)["p1"]["conditions"]["users"][
            "excludeUsers"
        ] == ["u-scan"]
        assert [e.action for e in audit.entries(s)][-3:] == [
            "change.open",
            "change.approve",
            "change.close",
        ]


def test_close_refuses_a_snapshot_older_than_the_window(store: Store) -> None:
    _adopt(store, _snap(T0, ca_policy("p1"), unreadable=("securityDefaults",)))
    with store.session() as s:
        change = repo.open_change(
            s,
            tenant="main",
            title="t",
            objects=[f"{CA}/p1"],
            window_start=T0 + timedelta(days=1),
            window_end=T0 + timedelta(days=1, hours=1),
            requester=JORDAN,
            now=T0,
        )
        repo.approve_change(s, change.id, person=ALEX, now=T0)
    with pytest.raises(Refused) as info, store.session() as s:
        repo.close_change(s, change.id, person=JORDAN, now=T0, snapshot=_snap(T0, ca_policy("p1")))
    assert info.value.kind == "stale_snapshot"
    with store.session() as s:
        other = repo.open_change(
            s,
            tenant="main",
            title="t",
            objects=["securityDefaults/00000000-0000-0000-0000-000000000005"],
            window_start=T0,
            window_end=T0 + timedelta(hours=1),
            requester=JORDAN,
            now=T0,
        )
        repo.approve_change(s, other.id, person=ALEX, now=T0)
    with pytest.raises(Refused) as unbased, store.session() as s:
        repo.close_change(s, other.id, person=JORDAN, now=T0, snapshot=_snap(T0, ca_policy("p1")))
    assert unbased.value.kind == "not_baselined"


def test_accepting_drift_moves_the_baseline_and_is_audited(store: Store) -> None:
    _adopt(store, _snap(T0, ca_policy("p1"), ca_policy("p2")))
    snap = _snap(T0 + timedelta(days=1), ca_policy("p1", state="disabled"))
    report = _check(store, snap)
    by_obj = {d.object_id: d for d in report.new}
    assert {k: d.kind for k, d in by_obj.items()} == {"p1": "changed", "p2": "removed"}
    with pytest.raises(Refused), store.session() as s:
        repo.accept_drift(s, by_obj["p1"].id, person=JORDAN, now=T0)
    with store.session() as s:
        repo.accept_drift(s, by_obj["p1"].id, person=ALEX, now=snap.taken_at)
        repo.accept_drift(s, by_obj["p2"].id, person=ALEX, now=snap.taken_at)
    with store.session() as s:
        assert set(repo.baseline_objects(s, "main", CA)) == {"p1"}
        entries = [e for e in audit.entries(s) if e.action == "drift.accept"]
    assert entries[0].before["baseline"]["state"] == "enabled"
    assert entries[0].after["baseline"]["state"] == "disabled"
    assert _check(store, snap).new == []
    with pytest.raises(Refused), store.session() as s:
        repo.accept_drift(s, by_obj["p1"].id, person=ALEX, now=T0)


def test_drift_needs_a_baseline_and_unknown_ids_are_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no approved baseline"):
        _check(store, _snap(T0, ca_policy("p1")))
    with pytest.raises(NotFoundError), store.session() as s:
        repo.get_change(s, "CHG-0042")
    with pytest.raises(NotFoundError), store.session() as s:
        repo.accept_drift(s, "DRIFT-0042", person=ALEX, now=T0)


def test_governance_migration_downgrades_and_upgrades_alone(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        command.downgrade(alembic_config(engine), "governance@-1")
        assert "0004_governance" not in current_heads(engine)
        assert "drift_records" not in inspect(engine).get_table_names()
        upgrade(engine)
        assert is_up_to_date(engine)
        assert {"exception_records", "baseline_objects", "drift_records"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()
