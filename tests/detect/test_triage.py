"""Triage state machine, de-duplication decisions and SLA clocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.detect.factories import T0

from cosec.config import Severity
from cosec.detect.rules import Evidence, Hit
from cosec.detect.sla import Pause, clock
from cosec.detect.triage import (
    AlertState,
    ChangeKind,
    KnownAlert,
    TriageAction,
    TriageError,
    check_snooze,
    plan,
    transition,
)
from cosec.model.governance import ControlArea, ExceptionGrant

H = timedelta(hours=1)


def hit(fp: str = "f1", subject: str = "amy@contoso.com", ev_id: str = "e1") -> Hit:
    return Hit(
        rule_id="DET-FWD-001v1",
        severity=Severity.HIGH,
        title="t",
        area=ControlArea.EMAIL,
        fingerprint=fp,
        subject=subject,
        first_seen_at=T0,
        last_seen_at=T0,
        evidence=(Evidence("messageRuleChanges", ev_id, T0, "s"),),
    )


def grant(scope: frozenset[str] = frozenset(), expires: object = None) -> ExceptionGrant:
    return ExceptionGrant(
        id="EXC-1",
        control_id="DET-FWD-001",
        tenant="main",
        scope=scope,
        expires_at=expires or T0 + 24 * H,
        risk_owner="alex",
    )


BASES = {"DET-FWD-001v1": "DET-FWD-001"}


def _plan(hits: list[Hit], known: dict[str, KnownAlert], grants: list[ExceptionGrant] = []):  # noqa: B006
    return plan(hits, known, tenant="main", grants=grants, now=T0, base_ids=BASES)


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (AlertState.NEW, TriageAction.START, AlertState.TRIAGING),
        (AlertState.NEW, TriageAction.DISMISS, AlertState.DISMISSED),
        (AlertState.TRIAGING, TriageAction.ESCALATE, AlertState.ESCALATED),
        (AlertState.TRIAGING, TriageAction.RESOLVE, AlertState.RESOLVED),
    ],
)
def test_allowed_transitions(state: AlertState, action: TriageAction, expected: AlertState) -> None:
    assert transition(state, action, reason="benign") == expected


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (AlertState.TRIAGING, TriageAction.START),
        (AlertState.DISMISSED, TriageAction.ESCALATE),
        (AlertState.ESCALATED, TriageAction.DISMISS),
        (AlertState.SUPPRESSED, TriageAction.START),
    ],
)
def test_refused_transitions(state: AlertState, action: TriageAction) -> None:
    with pytest.raises(TriageError, match=f"cannot {action.value}"):
        transition(state, action, reason="x")


def test_dismiss_needs_reason() -> None:
    with pytest.raises(TriageError, match="needs a reason"):
        transition(AlertState.NEW, TriageAction.DISMISS, reason="  ")


def test_snooze_limits() -> None:
    check_snooze(AlertState.NEW, T0 + H, T0, timedelta(days=7))
    with pytest.raises(TriageError, match="limited"):
        check_snooze(AlertState.NEW, T0 + timedelta(days=8), T0, timedelta(days=7))
    with pytest.raises(TriageError, match="future"):
        check_snooze(AlertState.NEW, T0, T0, timedelta(days=7))
    with pytest.raises(TriageError, match="queue"):
        check_snooze(AlertState.ESCALATED, T0 + H, T0, timedelta(days=7))


def test_new_condition_creates() -> None:
    (change,) = _plan([hit()], {})
    assert change.kind is ChangeKind.CREATE and change.suppressed_by is None


def test_ongoing_condition_updates() -> None:
    for state in (AlertState.NEW, AlertState.TRIAGING, AlertState.ESCALATED):
        (change,) = _plan([hit(ev_id="e2")], {"f1": KnownAlert(7, state, frozenset({"x/e1"}))})
        assert (change.kind, change.alert_id) == (ChangeKind.UPDATE, 7)


def test_closed_alert_absorbs_known_evidence_and_new_evidence_reopens() -> None:
    known = {"f1": KnownAlert(7, AlertState.DISMISSED, frozenset({"messageRuleChanges/e1"}))}
    assert _plan([hit()], known)[0].kind is ChangeKind.IGNORE
    assert _plan([hit(ev_id="e2")], known)[0].kind is ChangeKind.CREATE


def test_suppression_only_through_a_valid_covering_grant() -> None:
    (created,) = _plan([hit()], {}, [grant()])
    assert (created.kind, created.suppressed_by) == (ChangeKind.CREATE, "EXC-1")
    (other,) = _plan([hit()], {}, [grant(scope=frozenset({"bob@contoso.com"}))])
    assert other.suppressed_by is None
    (expired,) = _plan([hit()], {}, [grant(expires=T0)])
    assert expired.suppressed_by is None
    known = {"f1": KnownAlert(7, AlertState.NEW, frozenset())}
    assert _plan([hit()], known, [grant()])[0].kind is ChangeKind.SUPPRESS


def test_lapsed_grant_reopens_suppressed_alert() -> None:
    known = {"f1": KnownAlert(7, AlertState.SUPPRESSED, frozenset())}
    assert _plan([hit()], known, [grant()])[0].kind is ChangeKind.UPDATE
    assert _plan([hit()], known, [])[0].kind is ChangeKind.REOPEN


def test_sla_clock_runs_pauses_and_breaches() -> None:
    running = clock(started_at=T0, window=4 * H, now=T0 + 3 * H)
    assert not running.breached and running.remaining == H
    breached = clock(started_at=T0, window=4 * H, now=T0 + 5 * H)
    assert breached.breached and breached.due_at == T0 + 4 * H
    paused = clock(
        started_at=T0,
        window=4 * H,
        pauses=[Pause(T0 + H, T0 + 3 * H, "waiting_on_client")],
        now=T0 + 5 * H,
    )
    assert not paused.breached and paused.due_at == T0 + 6 * H
    open_pause = clock(
        started_at=T0,
        window=H,
        pauses=[Pause(T0 + H / 2, None, "waiting_on_client")],
        now=T0 + 9 * H,
    )
    assert open_pause.paused and not open_pause.breached
    stopped = clock(started_at=T0, window=H, stopped_at=T0 + 2 * H, now=T0 + 9 * H)
    assert stopped.stopped and stopped.breached and stopped.elapsed == 2 * H
