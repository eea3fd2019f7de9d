"""The exception register in the store. Every decision is audited in its own transaction.

Decision functions take the caller's session and append their audit entry to it, so the
decision and its record commit together. Run them through `decide`, which also audits a
refusal (a `Refused` error) in a fresh transaction after the decision rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosec.config import ExceptionPolicy, Party, Person, Role, Severity, Workspace
from cosec.errors import NotFoundError
from cosec.governance import exceptions as rules
from cosec.governance.decisions import Refused, require
from cosec.governance.exceptions import (
    ExceptionRecord,
    ExceptionState,
    Refusal,
    RegisterStats,
    ReviewNote,
)
from cosec.governance.facts import with_operating_model
from cosec.governance.reconcile import exposed_principals
from cosec.model.governance import ExceptionGrant, GovernanceFacts
from cosec.model.snapshot import Snapshot
from cosec.store import audit
from cosec.store.engine import Store
from cosec.store.tables.governance import ExceptionRefusalRow, ExceptionRow, NotificationRow

T = TypeVar("T")

SYSTEM_ACTOR = "cosec"
SYSTEM_PARTY = "system"


def decide(
    store: Store,
    fn: Callable[[Session], T],
    *,
    at: datetime,
    actor: Person,
    action: str,
    subject: str,
    tenant: str | None,
    intake_control: str | None = None,
) -> T:
    """Run one decision in a transaction; audit a refusal, then re-raise it.

    With `intake_control`, a refused proposal is also kept in the register's refusals
    (so reviews can count attempts at never-expiring exceptions).
    """
    try:
        with store.session() as session:
            return fn(session)
    except Refused as exc:
        with store.session() as session:
            audit.append(
                session,
                at=at,
                actor=actor.id,
                party=actor.party,
                action=f"{action}.refused",
                subject=subject,
                tenant=tenant,
                after={"rule": exc.kind},
                note=exc.message,
            )
            if intake_control is not None and tenant is not None:
                session.add(
                    ExceptionRefusalRow(
                        tenant=tenant,
                        control_id=intake_control,
                        actor=actor.id,
                        party=actor.party,
                        at=at,
                        kind=exc.kind,
                        reason=exc.message,
                    )
                )
        raise


def _record(row: ExceptionRow) -> ExceptionRecord:
    return ExceptionRecord(
        id=row.code or f"EXC-{row.id:04d}",
        tenant=row.tenant,
        control_id=row.control_id,
        severity=Severity(row.severity),
        scope=tuple(row.scope),
        justification=row.justification,
        compensating_controls=row.compensating_controls,
        requester=row.requester,
        requester_party=row.requester_party,
        risk_owner=row.risk_owner,
        approver=row.approver,
        state=ExceptionState(row.state),
        proposed_at=row.proposed_at,
        decided_at=row.decided_at,
        expires_at=row.expires_at,
        origin_at=row.origin_at,
        renewal_of=row.renewal_of,
        renewal_count=row.renewal_count,
        review_notes=tuple(
            ReviewNote(datetime.fromisoformat(n["at"]), n["by"], n["note"])
            for n in row.review_notes
        ),
    )


def _row(session: Session, code: str) -> ExceptionRow:
    row = session.scalars(
        select(ExceptionRow).where(ExceptionRow.code == code.upper()).with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"no exception {code!r}", hint="`cosec exceptions list` shows them.")
    return row


def _note(row: ExceptionRow, at: datetime, by: str, note: str) -> None:
    if note:
        row.review_notes = [*row.review_notes, {"at": at.isoformat(), "by": by, "note": note}]


def _audit(
    session: Session,
    *,
    at: datetime,
    actor: Person,
    action: str,
    row: ExceptionRow,
    before: dict[str, object] | None,
    note: str = "",
) -> ExceptionRecord:
    record = _record(row)
    audit.append(
        session,
        at=at,
        actor=actor.id,
        party=actor.party,
        action=action,
        subject=record.id,
        tenant=record.tenant,
        before=before,
        after=record.summary(),
        note=note,
    )
    return record


def _check_risk_owner(person: Person | None) -> None:
    if person is not None:
        require(person, Role.RISK_OWNER, party=Party.INTERNAL, action="own a risk")


def propose(
    session: Session,
    *,
    tenant: str,
    control_id: str,
    severity: Severity,
    scope: Iterable[str],
    justification: str,
    compensating_controls: str,
    requester: Person,
    expires_at: datetime | None,
    now: datetime,
    policy: ExceptionPolicy,
    risk_owner: Person | None = None,
    renewal_of: ExceptionRecord | None = None,
) -> ExceptionRecord:
    """Record a proposal (state proposed). Refuses a missing or too distant expiry."""
    scope_list = sorted(set(scope))
    rules.check_proposal(
        scope=scope_list,
        justification=justification,
        compensating_controls=compensating_controls,
    )
    _check_risk_owner(risk_owner)
    expiry = rules.check_expiry(expires_at, now=now, severity=severity, policy=policy)
    row = ExceptionRow(
        tenant=tenant,
        control_id=control_id,
        severity=severity.value,
        scope=scope_list,
        justification=justification,
        compensating_controls=compensating_controls,
        requester=requester.id,
        requester_party=requester.party,
        risk_owner=risk_owner.id if risk_owner else None,
        approver=None,
        state=ExceptionState.PROPOSED.value,
        proposed_at=now,
        decided_at=None,
        expires_at=expiry,
        origin_at=renewal_of.origin_at if renewal_of else now,
        renewal_of=renewal_of.id if renewal_of else None,
        renewal_count=renewal_of.renewal_count + 1 if renewal_of else 0,
        review_notes=[],
    )
    session.add(row)
    session.flush()
    row.code = f"EXC-{row.id:04d}"
    action = "exception.renew" if renewal_of else "exception.propose"
    return _audit(session, at=now, actor=requester, action=action, row=row, before=None)


def renew(
    session: Session,
    code: str,
    *,
    requester: Person,
    expires_at: datetime | None,
    now: datetime,
    policy: ExceptionPolicy,
    justification: str | None = None,
    compensating_controls: str | None = None,
) -> ExceptionRecord:
    """Propose a renewal: a new proposal linked to `code`, decided like any other."""
    previous = _record(_row(session, code))
    rules.check_renewal(previous, now)
    return propose(
        session,
        tenant=previous.tenant,
        control_id=previous.control_id,
        severity=previous.severity,
        scope=previous.scope,
        justification=justification or previous.justification,
        compensating_controls=compensating_controls or previous.compensating_controls,
        requester=requester,
        expires_at=expires_at,
        now=now,
        policy=policy,
        renewal_of=previous,
    )


def approve(
    session: Session, code: str, *, approver: Person, now: datetime, note: str = ""
) -> ExceptionRecord:
    row = _row(session, code)
    before = _record(row)
    rules.check_approval(before, approver)
    if row.expires_at <= now:
        raise Refused("past_expiry", f"{before.id} would already be expired; propose anew")
    row.state = ExceptionState.APPROVED.value
    row.approver = approver.id
    row.risk_owner = row.risk_owner or approver.id
    row.decided_at = now
    _note(row, now, approver.id, note)
    return _audit(
        session,
        at=now,
        actor=approver,
        action="exception.approve",
        row=row,
        before=before.summary(),
        note=note,
    )


def reject(
    session: Session, code: str, *, person: Person, now: datetime, note: str
) -> ExceptionRecord:
    row = _row(session, code)
    before = _record(row)
    rules.check_rejection(before, person)
    if not note.strip():
        raise Refused("no_reason", "a rejection needs a reason (--note)")
    row.state = ExceptionState.REJECTED.value
    row.decided_at = now
    _note(row, now, person.id, note)
    return _audit(
        session,
        at=now,
        actor=person,
        action="exception.reject",
        row=row,
        before=before.summary(),
        note=note,
    )


def revoke(
    session: Session, code: str, *, person: Person, now: datetime, note: str
) -> ExceptionRecord:
    row = _row(session, code)
    before = _record(row)
    rules.check_revocation(before, person, now)
    if not note.strip():
        raise Refused("no_reason", "a revocation needs a reason (--note)")
    row.state = ExceptionState.REVOKED.value
    _note(row, now, person.id, note)
    return _audit(
        session,
        at=now,
        actor=person,
        action="exception.revoke",
        row=row,
        before=before.summary(),
        note=note,
    )


def add_note(
    session: Session, code: str, *, person: Person, now: datetime, note: str
) -> ExceptionRecord:
    """Record a review note (e.g. from the monthly review) without changing the state."""
    if not note.strip():
        raise Refused("no_note", "a review note needs text (--note)")
    row = _row(session, code)
    before = _record(row).summary()
    _note(row, now, person.id, note)
    return _audit(
        session,
        at=now,
        actor=person,
        action="exception.note",
        row=row,
        before=before,
        note=note,
    )


def get(session: Session, code: str) -> ExceptionRecord:
    return _record(_row(session, code))


def list_records(
    session: Session, *, tenant: str | None = None, state: ExceptionState | None = None
) -> list[ExceptionRecord]:
    query = select(ExceptionRow).order_by(ExceptionRow.id)
    if tenant is not None:
        query = query.where(ExceptionRow.tenant == tenant)
    if state is not None:
        query = query.where(ExceptionRow.state == state.value)
    return [_record(r) for r in session.scalars(query)]


def refusals(session: Session, *, tenant: str) -> list[Refusal]:
    rows = session.scalars(
        select(ExceptionRefusalRow)
        .where(ExceptionRefusalRow.tenant == tenant)
        .order_by(ExceptionRefusalRow.id)
    )
    return [Refusal(r.tenant, r.control_id, r.actor, r.party, r.at, r.kind, r.reason) for r in rows]


def valid_grants(session: Session, tenant: str, now: datetime) -> list[ExceptionGrant]:
    """The exceptions the assessment honours as of `now` (expiry needs no job run)."""
    return rules.valid_grants(
        list_records(session, tenant=tenant, state=ExceptionState.APPROVED), now
    )


def register_stats(
    session: Session,
    tenant: str,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    policy: ExceptionPolicy | None = None,
    exposed: Collection[str] = (),
) -> RegisterStats:
    """Review figures for one tenant; `exposed` = object ids still excluded or failing."""
    return rules.register_stats(
        list_records(session, tenant=tenant),
        refusals(session, tenant=tenant),
        start=start,
        end=end,
        now=now,
        policy=policy or ExceptionPolicy(),
        exposed=exposed,
    )


# --- time-driven: expiry and reminders -----------------------------------------------


def expire_due(session: Session, now: datetime) -> list[ExceptionRecord]:
    """Mark every approved exception past its expiry as expired, auditing each."""
    rows = session.scalars(
        select(ExceptionRow)
        .where(ExceptionRow.state == ExceptionState.APPROVED.value)
        .order_by(ExceptionRow.id)
        .with_for_update()
    ).all()
    due = {r.id for r in rules.due_for_expiry([_record(row) for row in rows], now)}
    expired = []
    for row in (r for r in rows if r.code in due):
        before = _record(row).summary()
        row.state = ExceptionState.EXPIRED.value
        record = _record(row)
        audit.append(
            session,
            at=now,
            actor=SYSTEM_ACTOR,
            party=SYSTEM_PARTY,
            action="exception.expire",
            subject=record.id,
            tenant=record.tenant,
            before=before,
            after=record.summary(),
            note="expired at the end of its approved duration; affected findings re-open",
        )
        expired.append(record)
    return expired


def _offset_label(offset: timedelta) -> str:
    hours = int(offset.total_seconds() // 3600)
    return f"{hours // 24}d" if hours % 24 == 0 else f"{hours}h"


def queue_reminders(session: Session, workspace: Workspace, now: datetime) -> list[str]:
    """Queue expiry reminders to each exception's risk owner; return the outbox keys."""
    offsets = workspace.exceptions.reminders
    sent_keys = set(session.scalars(select(NotificationRow.dedupe_key)))
    queued = []
    for record in list_records(session, state=ExceptionState.APPROVED):
        sent = {o for o in offsets if f"{record.id}:expiry:{_offset_label(o)}" in sent_keys}
        due = rules.reminder_due(record, now, offsets, sent)
        owner_id = record.risk_owner or record.approver
        if due is None or owner_id is None:
            continue
        key = f"{record.id}:expiry:{_offset_label(due)}"
        owner = next((p for p in workspace.people if p.id == owner_id), None)
        days_left = max(0, (record.expires_at - now).days)
        session.add(
            NotificationRow(
                dedupe_key=key,
                tenant=record.tenant,
                kind="exception_expiry",
                ref=record.id,
                recipient=owner_id,
                email=owner.email if owner else None,
                subject=f"[cosec] {record.id} ({record.control_id}) expires in {days_left} days",
                body=(
                    f"The exception {record.id} for control {record.control_id} on tenant "
                    f"{record.tenant} expires on {record.expires_at:%Y-%m-%d %H:%M} UTC.\n"
                    f"Scope: {', '.join(record.scope) or 'whole tenant'}.\n"
                    "When it expires the affected findings re-open. To keep the risk "
                    f"accepted, propose a renewal: cosec exceptions renew {record.id} "
                    "--expires DATE; it needs a fresh approval."
                ),
                created_at=now,
            )
        )
        queued.append(key)
    session.flush()
    return queued


def outbox(session: Session, *, unsent_only: bool = False) -> list[NotificationRow]:
    """Queued notifications, oldest first (detached copies safe to read after commit)."""
    query = select(NotificationRow).order_by(NotificationRow.id)
    if unsent_only:
        query = query.where(NotificationRow.sent_at.is_(None))
    return list(session.scalars(query))


def mark_delivery(
    session: Session, notification_id: int, *, at: datetime, error: str | None
) -> None:
    """Record a delivery attempt: sent at `at`, or the error that prevented it."""
    row = session.get(NotificationRow, notification_id)
    if row is None:
        raise NotFoundError(f"no notification {notification_id}")
    if error is None:
        row.sent_at = at
        row.error = None
    else:
        row.error = error


def operating_model_facts(
    session: Session,
    workspace: Workspace,
    tenant: str,
    now: datetime,
    snapshot: Snapshot | None,
    base: GovernanceFacts | None = None,
) -> GovernanceFacts:
    """`base` plus unowned map cells and expired exceptions the snapshot still relies on.

    Without a snapshot nothing is known to be still excluded, so no expired exception
    is reported as relied on.
    """
    return with_operating_model(
        base or GovernanceFacts(),
        workspace,
        list_records(session, tenant=tenant),
        exposed=exposed_principals(snapshot) if snapshot is not None else (),
        now=now,
    )
