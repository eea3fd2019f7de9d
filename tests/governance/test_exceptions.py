from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cosec.config import ExceptionPolicy, Person, Role, Severity
from cosec.governance.decisions import Refused
from cosec.governance.exceptions import (
    ExceptionRecord,
    ExceptionState,
    Refusal,
    check_approval,
    check_expiry,
    check_proposal,
    check_renewal,
    check_revocation,
    due_for_expiry,
    is_permanent,
    register_stats,
    relied_on_after_expiry,
    reminder_due,
    valid_grants,
)

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)
POLICY = ExceptionPolicy()
ALEX = Person(id="alex", name="A", party="internal", roles=(Role.RISK_OWNER, Role.IT_LEAD))
RUTH = Person(id="ruth", name="R", party="internal", roles=(Role.RISK_OWNER,))
SAM = Person(id="sam", name="S", party="internal", roles=(Role.EXECUTIVE,))
PAT = Person(id="pat", name="P", party="partner", roles=(Role.RISK_OWNER, Role.ANALYST))


def _rec(**kw: object) -> ExceptionRecord:
    base = ExceptionRecord(
        id="EXC-0001",
        tenant="main",
        control_id="IDN-001v1",
        severity=Severity.HIGH,
        scope=("u1",),
        justification="legacy",
        compensating_controls="ip allow-list",
        requester="jordan",
        requester_party="partner",
        risk_owner=None,
        approver=None,
        state=ExceptionState.PROPOSED,
        proposed_at=NOW,
        decided_at=None,
        expires_at=NOW + timedelta(days=60),
        origin_at=NOW,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expires", "kind"),
    [
        (None, "no_expiry"),
        (NOW - timedelta(seconds=1), "past_expiry"),
        (NOW + timedelta(days=91), "too_long"),
    ],
)
def test_expiry_is_mandatory_and_bounded_by_severity(expires: datetime | None, kind: str) -> None:
    with pytest.raises(Refused) as info:
        check_expiry(expires, now=NOW, severity=Severity.HIGH, policy=POLICY)
    assert info.value.kind == kind


def test_expiry_limit_follows_the_controls_severity() -> None:
    far = NOW + timedelta(days=180)
    assert check_expiry(far, now=NOW, severity=Severity.MEDIUM, policy=POLICY) == far
    with pytest.raises(Refused):
        check_expiry(far, now=NOW, severity=Severity.CRITICAL, policy=POLICY)


def test_proposal_needs_justification_and_compensating_controls() -> None:
    with pytest.raises(Refused, match="justification"):
        check_proposal(scope=["u1"], justification=" ", compensating_controls="x")
    with pytest.raises(Refused, match="compensating"):
        check_proposal(scope=["u1"], justification="x", compensating_controls="")
    with pytest.raises(Refused, match="blank"):
        check_proposal(scope=[" "], justification="x", compensating_controls="x")


@pytest.mark.parametrize(
    ("person", "requester", "kind"),
    [
        (SAM, "jordan", "role"),  # internal but not a risk owner
        (PAT, "jordan", "party"),  # a risk owner of the partner party
        (ALEX, "alex", "self_approval"),
    ],
)
def test_separation_of_duties(person: Person, requester: str, kind: str) -> None:
    with pytest.raises(Refused) as info:
        check_approval(_rec(requester=requester), person)
    assert info.value.kind == kind


def test_internal_risk_owner_approves_and_only_proposals() -> None:
    check_approval(_rec(), ALEX)
    with pytest.raises(Refused) as info:
        check_approval(_rec(state=ExceptionState.APPROVED), ALEX)
    assert info.value.kind == "state"


def test_expiry_is_computed_as_of_now() -> None:
    rec = _rec(state=ExceptionState.APPROVED, approver="alex")
    assert rec.is_valid(NOW)
    assert [g.id for g in valid_grants([rec], NOW)] == ["EXC-0001"]
    later = rec.expires_at
    assert rec.state_at(later) is ExceptionState.EXPIRED
    assert valid_grants([rec], later) == []
    assert due_for_expiry([rec], later) == [rec]
    assert due_for_expiry([rec], NOW) == []
    grant = rec.grant()
    assert grant.risk_owner == "alex"
    assert grant.covers("u1") and not grant.covers("u2")


def test_revocation_and_renewal_states() -> None:
    check_revocation(_rec(state=ExceptionState.APPROVED), ALEX, NOW)
    with pytest.raises(Refused):
        check_revocation(_rec(state=ExceptionState.REJECTED), ALEX, NOW)
    with pytest.raises(Refused):
        check_renewal(_rec(state=ExceptionState.REVOKED), NOW)
    check_renewal(_rec(state=ExceptionState.APPROVED), NOW + timedelta(days=90))


def test_reminders_send_the_nearest_offset_once() -> None:
    rec = _rec(state=ExceptionState.APPROVED)
    offsets = POLICY.reminders  # 30d, 7d, 1d
    assert reminder_due(rec, NOW, offsets, set()) is None  # 60 days left
    at_29 = rec.expires_at - timedelta(days=29)
    assert reminder_due(rec, at_29, offsets, set()) == timedelta(days=30)
    assert reminder_due(rec, at_29, offsets, {timedelta(days=30)}) is None
    at_5 = rec.expires_at - timedelta(days=5)
    assert reminder_due(rec, at_5, offsets, {timedelta(days=30)}) == timedelta(days=7)
    # a missed 30-day reminder is not sent after the 7-day one
    assert reminder_due(rec, at_5, offsets, {timedelta(days=7)}) is None
    assert reminder_due(_rec(), at_5, offsets, set()) is None  # not approved


def test_permanent_drift_by_renewals_or_age() -> None:
    ok = _rec(state=ExceptionState.APPROVED, renewal_count=2)
    assert not is_permanent(ok, POLICY, NOW)
    assert is_permanent(replace(ok, renewal_count=3), POLICY, NOW)
    old = replace(ok, origin_at=NOW - timedelta(days=366))
    assert is_permanent(old, POLICY, NOW)
    assert not is_permanent(replace(old, state=ExceptionState.REJECTED), POLICY, NOW)


def test_expired_relied_on_unless_a_successor_covers_it() -> None:
    expired = _rec(state=ExceptionState.APPROVED, expires_at=NOW - timedelta(days=1))
    assert relied_on_after_expiry([expired], {"u1"}, NOW) == ["EXC-0001"]
    assert relied_on_after_expiry([expired], {"u2"}, NOW) == []
    successor = _rec(id="EXC-0002", state=ExceptionState.APPROVED, renewal_of="EXC-0001")
    assert relied_on_after_expiry([expired, successor], {"u1"}, NOW) == []


def test_register_stats() -> None:
    start, end = NOW - timedelta(days=30), NOW
    records = [
        _rec(id="EXC-0001"),  # pending
        _rec(
            id="EXC-0002",
            state=ExceptionState.APPROVED,
            approver="alex",
            proposed_at=NOW - timedelta(days=10),
            decided_at=NOW - timedelta(days=8),
            expires_at=NOW + timedelta(days=5),
        ),
        _rec(
            id="EXC-0003",
            state=ExceptionState.REJECTED,
            proposed_at=NOW - timedelta(days=10),
            decided_at=NOW - timedelta(days=6),
        ),
        _rec(
            id="EXC-0004",
            state=ExceptionState.APPROVED,
            approver="alex",
            scope=("u9",),
            proposed_at=NOW - timedelta(days=200),
            decided_at=NOW - timedelta(days=199),
            expires_at=NOW - timedelta(days=2),
        ),
    ]

    def refusal(days_ago: int, kind: str) -> Refusal:
        at = NOW - timedelta(days=days_ago)
        return Refusal("main", "IDN-001v1", "jordan", "partner", at, kind, "")

    refusals = [
        refusal(3, "no_expiry"),
        refusal(3, "too_long"),
        refusal(3, "self_approval"),
        refusal(90, "no_expiry"),
    ]
    stats = register_stats(
        records, refusals, start=start, end=end, now=NOW, policy=POLICY, exposed={"u9"}
    )
    assert stats.pending == 1
    assert stats.decided_in_period == 2
    assert (stats.approved_in_period, stats.rejected_in_period) == (1, 1)
    assert stats.median_time_to_decision == timedelta(days=3)
    assert (stats.valid, stats.expiring_soon) == (1, 1)
    assert stats.expired_in_period == 1
    assert stats.expired_still_relied_on == 1
    assert stats.never_expiring_refused == 2
    assert stats.refusals_in_period == 3
