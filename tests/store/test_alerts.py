"""The triage queue in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from cosec.config import Severity, SlaSettings
from cosec.detect.rules import Evidence, Hit
from cosec.detect.triage import AlertState, TriageAction, TriageError
from cosec.errors import NotFoundError
from cosec.model.governance import ControlArea, ExceptionGrant, Owner
from cosec.store import alerts
from cosec.store.engine import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
OWNER = Owner(party="partner", role="analyst")
BASES = {"DET-FWD-001v1": "DET-FWD-001"}


def hit(ev_id: str = "e1", at: datetime = T0, fp: str = "fp1") -> Hit:
    return Hit(
        rule_id="DET-FWD-001v1",
        severity=Severity.HIGH,
        title="Mail forwarded to an external domain",
        area=ControlArea.EMAIL,
        fingerprint=fp,
        subject="amy@contoso.com",
        first_seen_at=at,
        last_seen_at=at,
        evidence=(Evidence("messageRuleChanges", ev_id, at, "forwards to x@evil.example"),),
        details={"user": "amy@contoso.com"},
    )


def apply(store: Store, hits: list[Hit], now: datetime, grants: list[ExceptionGrant] = []):  # noqa: B006
    with store.session() as s:
        return alerts.apply_hits(
            s,
            tenant="main",
            hits=hits,
            grants=grants,
            now=now,
            sla_windows=SlaSettings().alert_triage,
            owner=OWNER,
            base_ids=BASES,
        )


def test_one_alert_per_condition_updated_while_it_lasts(store: Store) -> None:
    first = apply(store, [hit()], T0 + H)
    assert len(first.created) == 1
    again = apply(store, [hit("e2", T0 + 2 * H)], T0 + 3 * H)
    assert again.updated == first.created and again.created == ()
    with store.session() as s:
        (a,) = alerts.list_alerts(s, tenant="main")
    assert a.occurrences == 2 and a.last_seen_at == T0 + 2 * H and a.first_seen_at == T0
    assert (a.owner_party, a.owner_role) == ("partner", "analyst")
    assert a.sla_window == 4 * H and a.state is AlertState.NEW


def test_triage_flow_records_who_and_when(store: Store) -> None:
    (aid,) = apply(store, [hit()], T0 + H).created
    with store.session() as s:
        alerts.assign(s, aid, assignee="casey", actor="jordan", now=T0 + H)
        alerts.triage(s, aid, TriageAction.START, actor="casey", now=T0 + 2 * H)
        alerts.triage(
            s, aid, TriageAction.DISMISS, actor="casey", now=T0 + 3 * H, reason="user's own"
        )
    with store.session() as s:
        a = alerts.get_alert(s, aid)
        steps = [(h.actor, h.action, h.to_state) for h in alerts.history(s, aid)]
        (times,) = alerts.triage_times(s, "main", T0, T0 + 24 * H)
    assert a.state is AlertState.DISMISSED and a.close_reason == "user's own"
    assert (a.triage_started_by, a.triage_started_at) == ("casey", T0 + 2 * H)
    assert steps == [
        ("cosec", "raise", "new"),
        ("jordan", "assign", "new"),
        ("casey", "start", "triaging"),
        ("casey", "dismiss", "dismissed"),
    ]
    assert times.time_to_detect == H and times.report_to_triage == H
    assert times.time_to_decision == 2 * H and times.sla_met is True
    # the dismissed condition does not come back for the same evidence ...
    assert apply(store, [hit()], T0 + 4 * H).ignored == 1
    # ... but new evidence of it raises a new alert
    assert len(apply(store, [hit("e9", T0 + 5 * H)], T0 + 5 * H).created) == 1


def test_refused_steps_change_nothing(store: Store) -> None:
    (aid,) = apply(store, [hit()], T0 + H).created
    with pytest.raises(TriageError, match="needs a reason"), store.session() as s:
        alerts.triage(s, aid, TriageAction.DISMISS, actor="casey", now=T0 + 2 * H)
    with pytest.raises(TriageError, match="needs the incident"), store.session() as s:
        alerts.triage(s, aid, TriageAction.ESCALATE, actor="casey", now=T0 + 2 * H)
    with pytest.raises(NotFoundError), store.session() as s:
        alerts.get_alert(s, 999)
    with store.session() as s:
        a = alerts.get_alert(s, aid)
        assert a.state is AlertState.NEW and a.triage_started_at is None
        assert len(alerts.history(s, aid)) == 1


def test_sla_breach_recorded_once_and_pauses_extend(store: Store) -> None:
    a_id, b_id = apply(store, [hit(fp="a"), hit(fp="b")], T0 + H).created
    with store.session() as s:
        alerts.pause_sla(s, b_id, reason="waiting_on_client", actor="casey", now=T0 + 2 * H)
        with pytest.raises(TriageError, match="pauses only for"):
            alerts.pause_sla(s, a_id, reason="busy", actor="casey", now=T0 + 2 * H)
        with pytest.raises(TriageError, match="already paused"):
            alerts.pause_sla(s, b_id, reason="waiting_on_vendor", actor="casey", now=T0 + 2 * H)
    with store.session() as s:
        assert alerts.record_breaches(s, now=T0 + 5 * H) == [a_id]
        assert alerts.record_breaches(s, now=T0 + 6 * H) == []
        alerts.resume_sla(s, b_id, actor="casey", now=T0 + 6 * H)
    with store.session() as s:
        b = alerts.get_alert(s, b_id)
        assert b.sla(T0 + 6 * H).due_at == T0 + 8 * H
        assert alerts.get_alert(s, a_id).sla_breached_at == T0 + 4 * H


def test_snooze_expires_by_itself(store: Store) -> None:
    (aid,) = apply(store, [hit()], T0 + H).created
    with store.session() as s:
        alerts.snooze(
            s,
            aid,
            until=T0 + 5 * H,
            actor="casey",
            now=T0 + H,
            limit=timedelta(days=7),
            reason="user on holiday",
        )
        a = alerts.get_alert(s, aid)
    assert a.snoozed(T0 + 2 * H) and not a.snoozed(T0 + 6 * H)


def test_suppression_only_through_exception_and_reopens_after_expiry(store: Store) -> None:
    grant = ExceptionGrant(
        "EXC-1", "DET-FWD-001", "main", frozenset({"amy@contoso.com"}), T0 + 10 * H, "alex"
    )
    (sid,) = apply(store, [hit()], T0 + H, [grant]).suppressed
    with store.session() as s:
        assert alerts.get_alert(s, sid).suppressed_by == "EXC-1"
    assert apply(store, [hit("e2", T0 + 2 * H)], T0 + 2 * H, [grant]).updated == (sid,)
    reopened = apply(store, [hit("e3", T0 + 11 * H)], T0 + 11 * H, [grant])
    assert reopened.reopened == (sid,)
    with store.session() as s:
        a = alerts.get_alert(s, sid)
    assert a.state is AlertState.NEW and a.suppressed_by is None


def test_cursor_only_moves_forward(store: Store) -> None:
    with store.session() as s:
        assert alerts.cursor(s, "main", "signIns") is None
        alerts.set_cursor(s, "main", "signIns", T0, now=T0)
        alerts.set_cursor(s, "main", "signIns", T0 - H, now=T0)
        assert alerts.cursor(s, "main", "signIns") == T0


def test_concurrent_runs_raise_one_alert(store: Store) -> None:
    """Two detection runs holding the queue lock in turn: the second updates, not duplicates."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            with store.session() as s:
                alerts.lock_queue(s, "main")
                alerts.apply_hits(s, tenant="main", hits=[hit()], grants=[], now=T0 + H,
                                  sla_windows=SlaSettings().alert_triage, owner=OWNER,
                                  base_ids=BASES)  # fmt: skip
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.session() as s:
        (only,) = alerts.list_alerts(s, tenant="main")
    assert only.occurrences == 1
