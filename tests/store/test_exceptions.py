from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.governance.snapshots import ca_policy, snapshot

from cosec.cli.workspace_cmd import workspace_template
from cosec.config import Person, Severity, parse_workspace
from cosec.errors import NotFoundError
from cosec.governance.audit import verify_chain
from cosec.governance.decisions import Refused
from cosec.governance.exceptions import ExceptionRecord, ExceptionState
from cosec.store import audit
from cosec.store import exceptions as register
from cosec.store.engine import Store

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)
WS = parse_workspace(workspace_template("Contoso", "MSP", "main"))
ALEX, JORDAN, SAM = WS.person("alex"), WS.person("jordan"), WS.person("sam")
POLICY = WS.exceptions


def _propose(
    store: Store, *, by: Person = JORDAN, days: int | None = 60, scope: tuple[str, ...] = ("u1",)
) -> ExceptionRecord:
    return register.decide(
        store,
        lambda s: register.propose(
            s,
            tenant="main",
            control_id="IDN-001v1",
            severity=Severity.HIGH,
            scope=scope,
            justification="legacy scanner cannot do MFA",
            compensating_controls="named-location restriction",
            requester=by,
            expires_at=NOW + timedelta(days=days) if days is not None else None,
            now=NOW,
            policy=POLICY,
        ),
        at=NOW,
        actor=by,
        action="exception.propose",
        subject="IDN-001v1",
        tenant="main",
        intake_control="IDN-001v1",
    )


def _approve(store: Store, code: str, by: Person, at: datetime = NOW) -> ExceptionRecord:
    return register.decide(
        store,
        lambda s: register.approve(s, code, approver=by, now=at, note="accepted"),
        at=at,
        actor=by,
        action="exception.approve",
        subject=code,
        tenant="main",
    )


def _actions(store: Store) -> list[tuple[str, str, str]]:
    with store.session() as s:
        return [(e.actor, e.action, e.subject) for e in audit.entries(s)]


def test_lifecycle_is_audited_and_grants_follow_it(store: Store) -> None:
    rec = _propose(store)
    assert (rec.id, rec.state) == ("EXC-0001", ExceptionState.PROPOSED)
    with store.session() as s:
        assert register.valid_grants(s, "main", NOW) == []
    approved = _approve(store, "exc-0001", ALEX)
    assert (approved.approver, approved.risk_owner) == ("alex", "alex")
    with store.session() as s:
        grants = register.valid_grants(s, "main", NOW + timedelta(days=1))
        assert [(g.id, g.scope) for g in grants] == [("EXC-0001", frozenset({"u1"}))]
        # validity is computed as of `now`: no job needs to run for expiry to count
        assert register.valid_grants(s, "main", NOW + timedelta(days=60)) == []
        assert register.valid_grants(s, "other", NOW) == []
    assert _actions(store) == [
        ("jordan", "exception.propose", "EXC-0001"),
        ("alex", "exception.approve", "EXC-0001"),
    ]
    with store.session() as s:
        entries = list(audit.entries(s))
    assert entries[1].before["state"] == "proposed"
    assert entries[1].after["state"] == "approved"
    assert verify_chain(entries) == []


def test_refusals_are_audited_and_change_nothing(store: Store) -> None:
    own = _propose(store, by=ALEX)
    with pytest.raises(Refused) as info:
        _approve(store, own.id, ALEX)
    assert info.value.kind == "self_approval"
    with pytest.raises(Refused):
        _approve(store, own.id, JORDAN)
    with pytest.raises(Refused) as never:
        _propose(store, days=None)
    assert never.value.kind == "no_expiry"
    with store.session() as s:
        assert register.get(s, own.id).state is ExceptionState.PROPOSED
        assert [r.kind for r in register.refusals(s, tenant="main")] == ["no_expiry"]
        assert len(register.list_records(s)) == 1
    assert _actions(store)[1:] == [
        ("alex", "exception.approve.refused", own.id),
        ("jordan", "exception.approve.refused", own.id),
        ("jordan", "exception.propose.refused", "IDN-001v1"),
    ]


def test_reject_and_revoke_need_reasons_and_roles(store: Store) -> None:
    a = _propose(store)
    with pytest.raises(Refused, match="reason"), store.session() as s:
        register.reject(s, a.id, person=ALEX, now=NOW, note="")
    with store.session() as s:
        rejected = register.reject(s, a.id, person=ALEX, now=NOW, note="too broad")
    assert rejected.state is ExceptionState.REJECTED
    assert rejected.review_notes[0].note == "too broad"
    b = _propose(store)
    _approve(store, b.id, ALEX)
    with pytest.raises(Refused), store.session() as s:
        register.revoke(s, b.id, person=SAM, now=NOW, note="x")
    with store.session() as s:
        revoked = register.revoke(s, b.id, person=ALEX, now=NOW, note="scanner retired")
        assert revoked.state is ExceptionState.REVOKED
        assert register.valid_grants(s, "main", NOW) == []


def test_renewal_is_a_linked_proposal_needing_approval(store: Store) -> None:
    first = _propose(store)
    _approve(store, first.id, ALEX)
    later = NOW + timedelta(days=55)
    with store.session() as s:
        renewal = register.renew(
            s,
            first.id,
            requester=JORDAN,
            expires_at=later + timedelta(days=60),
            now=later,
            policy=POLICY,
        )
    assert (renewal.id, renewal.renewal_of, renewal.renewal_count) == ("EXC-0002", first.id, 1)
    assert renewal.origin_at == first.origin_at
    assert renewal.state is ExceptionState.PROPOSED
    with store.session() as s:
        # the old one still runs to its own expiry; nothing was extended
        assert register.get(s, first.id).expires_at == first.expires_at
        grants = register.valid_grants(s, "main", NOW + timedelta(days=61))
    assert grants == []


def test_expiry_job_marks_expired_and_reminders_go_to_risk_owner(store: Store) -> None:
    rec = _propose(store)
    _approve(store, rec.id, ALEX)
    at_25 = rec.expires_at - timedelta(days=25)
    with store.session() as s:
        assert register.expire_due(s, at_25) == []
        assert register.queue_reminders(s, WS, at_25) == ["EXC-0001:expiry:30d"]
    with store.session() as s:
        assert register.queue_reminders(s, WS, at_25) == []  # once only
        queued = register.outbox(s)
        assert [(n.recipient, n.email) for n in queued] == [("alex", "alex@example.com")]
        assert "renew" in queued[0].body
    end = rec.expires_at
    with store.session() as s:
        expired = register.expire_due(s, end)
    assert [(r.id, r.state) for r in expired] == [("EXC-0001", ExceptionState.EXPIRED)]
    with store.session() as s:
        assert register.expire_due(s, end) == []
        entries = list(audit.entries(s))
    assert (entries[-1].actor, entries[-1].action) == ("cosec", "exception.expire")


def test_register_stats_from_store(store: Store) -> None:
    a = _propose(store)
    _approve(store, a.id, ALEX, at=NOW + timedelta(hours=4))
    _propose(store)
    with pytest.raises(Refused):
        _propose(store, days=400)
    with store.session() as s:
        stats = register.register_stats(
            s, "main", NOW - timedelta(days=1), NOW + timedelta(days=1), NOW + timedelta(days=1)
        )
    assert stats.pending == 1
    assert stats.median_time_to_decision == timedelta(hours=4)
    assert stats.never_expiring_refused == 1


def test_unknown_exception_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError), store.session() as s:
        register.get(s, "EXC-9999")


def test_mark_delivery(store: Store) -> None:
    rec = _propose(store)
    _approve(store, rec.id, ALEX)
    with store.session() as s:
        register.queue_reminders(s, WS, rec.expires_at - timedelta(hours=1))
        (n,) = register.outbox(s, unsent_only=True)
        register.mark_delivery(s, n.id, at=NOW, error="SMTPRecipientsRefused")
    with store.session() as s:
        assert register.outbox(s, unsent_only=True)[0].error == "SMTPRecipientsRefused"
        register.mark_delivery(s, n.id, at=NOW, error=None)
    with store.session() as s:
        assert register.outbox(s, unsent_only=True) == []


def test_operating_model_facts_name_expired_exceptions_still_relied_on(store: Store) -> None:
    rec = _propose(store, scope=("u1",))
    _approve(store, rec.id, ALEX)
    after = rec.expires_at + timedelta(days=1)
    excluded = snapshot(
        after, {"conditionalAccessPolicies": [ca_policy("p1", exclude_users=("u1",))]}
    )
    with store.session() as s:
        facts = register.operating_model_facts(s, WS, "main", after, excluded)
        assert facts.expired_exceptions_relied_on == (rec.id,)
        assert facts.unowned_cells == ()
        assert (
            register.operating_model_facts(s, WS, "main", after, None).expired_exceptions_relied_on
            == ()
        )
        during = register.operating_model_facts(s, WS, "main", NOW, excluded)
        assert during.expired_exceptions_relied_on == ()


def test_review_notes_are_kept_and_audited(store: Store) -> None:
    rec = _propose(store)
    with pytest.raises(Refused), store.session() as s:
        register.add_note(s, rec.id, person=SAM, now=NOW, note=" ")
    with store.session() as s:
        noted = register.add_note(s, rec.id, person=SAM, now=NOW, note="reviewed in November")
    assert noted.state is ExceptionState.PROPOSED
    assert [(n.by, n.note) for n in noted.review_notes] == [("sam", "reviewed in November")]
    assert _actions(store)[-1] == ("sam", "exception.note", rec.id)
