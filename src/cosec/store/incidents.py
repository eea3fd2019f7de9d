"""Incidents in the store: declaration, timeline, containment checklist, status, and
response actions with their approvals.

Query functions for reports and metrics:

- `list_incidents(session, tenant=…, since=…, until=…)` → `IncidentRecord`s;
- `timeline(session, incident_id)` → `TimelineEntry`s, oldest first;
- `response_times(session, incident_id)` → `ResponseTimes` (detect, acknowledge,
  contain, recover); `mean` over several in `cosec.incidents.timeline`;
- `actions(session, incident_id)` and `overdue_approvals(session, now)` → `ActionRecord`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosec.config import Authority, IncidentTypeSettings, ResponseAction, Severity
from cosec.detect.triage import TriageAction
from cosec.errors import NotFoundError
from cosec.incidents import lifecycle
from cosec.incidents.actions import ActionTarget
from cosec.incidents.lifecycle import IncidentError, IncidentStatus
from cosec.incidents.timeline import EntryKind, ResponseTimes, TimelineEntry
from cosec.incidents.timeline import response_times as _times
from cosec.store import alerts as alert_store
from cosec.store.tables.detect import ActionRow, AlertRow, IncidentRow, TimelineRow


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    done_at: datetime | None
    done_by: str | None


@dataclass(frozen=True)
class IncidentRecord:
    id: int
    tenant: str
    type: str
    title: str
    severity: Severity
    status: IncidentStatus
    declared_at: datetime
    declared_by: str
    checklist: tuple[ChecklistItem, ...]
    closed_at: datetime | None
    alert_ids: tuple[int, ...]

    @property
    def code(self) -> str:
        return f"INC-{self.id}"

    @property
    def contained(self) -> bool:
        return all(i.done_at is not None for i in self.checklist)


class ActionStatus(StrEnum):
    REFUSED = "refused"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    DRY_RUN = "dry_run"
    EXECUTED = "executed"
    FAILED = "failed"


@dataclass(frozen=True)
class ActionRecord:
    id: int
    incident_id: int
    action: ResponseAction
    target: ActionTarget
    requested_by: str
    requested_at: datetime
    authority: Authority
    emergency: bool
    status: ActionStatus
    reason: str
    approval_due_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    executed_at: datetime | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    error: str | None


def _record(session: Session, row: IncidentRow) -> IncidentRecord:
    alert_ids = session.scalars(
        select(AlertRow.id).where(AlertRow.incident_id == row.id).order_by(AlertRow.id)
    )
    return IncidentRecord(
        id=row.id,
        tenant=row.tenant,
        type=row.type,
        title=row.title,
        severity=Severity(row.severity),
        status=IncidentStatus(row.status),
        declared_at=row.declared_at,
        declared_by=row.declared_by,
        checklist=tuple(
            ChecklistItem(
                str(i["text"]),
                datetime.fromisoformat(i["done_at"]) if i.get("done_at") else None,
                i.get("done_by"),
            )
            for i in row.checklist or []
        ),
        closed_at=row.closed_at,
        alert_ids=tuple(alert_ids),
    )


def _action(row: ActionRow) -> ActionRecord:
    return ActionRecord(
        id=row.id,
        incident_id=row.incident_id,
        action=ResponseAction(row.action),
        target=ActionTarget(**row.target),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        authority=Authority(row.authority),
        emergency=row.emergency,
        status=ActionStatus(row.status),
        reason=row.reason,
        approval_due_at=row.approval_due_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        executed_at=row.executed_at,
        before=row.before,
        after=row.after,
        error=row.error,
    )


def _row(session: Session, incident_id: int) -> IncidentRow:
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise NotFoundError(
            f"no incident {incident_id}", hint="List incidents with `cosec incidents list`."
        )
    return row


def add_entry(
    session: Session,
    incident_id: int,
    *,
    at: datetime,
    kind: EntryKind,
    actor: str,
    text: str,
    data: dict[str, Any] | None = None,
) -> None:
    _row(session, incident_id)
    session.add(
        TimelineRow(
            incident_id=incident_id, at=at, kind=kind.value, actor=actor, text=text, data=data or {}
        )
    )
    session.flush()


def declare(
    session: Session,
    *,
    tenant: str,
    type_key: str,
    settings: IncidentTypeSettings,
    severity: Severity | None,
    title: str | None,
    actor: str,
    now: datetime,
    alert_ids: Sequence[int] = (),
) -> IncidentRecord:
    """Open an incident, escalate its alerts into it, and seed the timeline from them."""
    alerts = [alert_store.get_alert(session, a) for a in alert_ids]
    for a in alerts:
        if a.tenant != tenant:
            raise IncidentError(f"alert {a.id} belongs to tenant {a.tenant}, not {tenant}")
    row = IncidentRow(
        tenant=tenant,
        type=type_key,
        title=title or settings.title,
        severity=(severity or settings.severity).value,
        status=IncidentStatus.OPEN.value,
        declared_at=now,
        declared_by=actor,
        checklist=[{"text": t, "done_at": None, "done_by": None} for t in settings.contained_when],
    )
    session.add(row)
    session.flush()
    for a in alerts:
        add_entry(
            session,
            row.id,
            at=a.first_seen_at,
            kind=EntryKind.EVENT,
            actor="-",
            text=f"first event of {a.code}: {a.evidence[0]['summary'] if a.evidence else a.title}",
            data={"alert": a.id},
        )
        add_entry(
            session,
            row.id,
            at=a.detected_at,
            kind=EntryKind.DETECTION,
            actor="cosec",
            text=f"{a.code} {a.rule_id} {a.title}: {a.subject}",
            data={"alert": a.id, "rule": a.rule_id},
        )
        if a.triage_started_at is not None:
            add_entry(
                session,
                row.id,
                at=a.triage_started_at,
                kind=EntryKind.TRIAGE,
                actor=a.triage_started_by or "?",
                text=f"triage of {a.code} started",
                data={"alert": a.id},
            )
        alert_store.triage(
            session,
            a.id,
            TriageAction.ESCALATE,
            actor=actor,
            now=now,
            reason=f"escalated to INC-{row.id}",
            incident_id=row.id,
        )
    add_entry(
        session,
        row.id,
        at=now,
        kind=EntryKind.DECLARATION,
        actor=actor,
        text=f"declared {type_key} ({row.severity}): {row.title}",
        data={"type": type_key, "severity": row.severity},
    )
    return _record(session, row)


def get_incident(session: Session, incident_id: int) -> IncidentRecord:
    return _record(session, _row(session, incident_id))


def list_incidents(
    session: Session,
    *,
    tenant: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[IncidentRecord]:
    """Incidents declared in [since, until), newest first."""
    query = select(IncidentRow).order_by(IncidentRow.id.desc())
    if tenant is not None:
        query = query.where(IncidentRow.tenant == tenant)
    if since is not None:
        query = query.where(IncidentRow.declared_at >= since)
    if until is not None:
        query = query.where(IncidentRow.declared_at < until)
    return [_record(session, r) for r in session.scalars(query)]


def timeline(session: Session, incident_id: int) -> list[TimelineEntry]:
    _row(session, incident_id)
    rows = session.scalars(
        select(TimelineRow)
        .where(TimelineRow.incident_id == incident_id)
        .order_by(TimelineRow.at, TimelineRow.id)
    )
    return [
        TimelineEntry(r.at, EntryKind(r.kind), r.actor, r.text, dict(r.data or {})) for r in rows
    ]


def response_times(session: Session, incident_id: int) -> ResponseTimes:
    return _times(timeline(session, incident_id))


def check_item(
    session: Session, incident_id: int, item: int, *, actor: str, now: datetime
) -> IncidentRecord:
    """Check off containment item number `item` (1-based)."""
    row = _row(session, incident_id)
    items = list(row.checklist or [])
    if not 1 <= item <= len(items):
        raise IncidentError(f"INC-{incident_id} has checklist items 1..{len(items)}, not {item}")
    if items[item - 1].get("done_at"):
        raise IncidentError(f"item {item} of INC-{incident_id} is already checked off")
    items[item - 1] = {**items[item - 1], "done_at": now.isoformat(), "done_by": actor}
    row.checklist = items
    add_entry(
        session,
        incident_id,
        at=now,
        kind=EntryKind.CONTAINMENT,
        actor=actor,
        text=f"checked off: {items[item - 1]['text']}",
        data={"item": item},
    )
    return _record(session, row)


def set_status(
    session: Session,
    incident_id: int,
    status: IncidentStatus,
    *,
    actor: str,
    now: datetime,
    note: str = "",
) -> IncidentRecord:
    row = _row(session, incident_id)
    current = IncidentStatus(row.status)
    done = [bool(i.get("done_at")) for i in row.checklist or []]
    row.status = lifecycle.advance(current, status, done).value
    if status is IncidentStatus.CLOSED:
        row.closed_at = now
    add_entry(
        session,
        incident_id,
        at=now,
        kind=EntryKind.STATUS,
        actor=actor,
        text=f"{current.value} → {status.value}" + (f": {note}" if note else ""),
        data={"status": status.value, "from": current.value},
    )
    return _record(session, row)


def add_action(
    session: Session,
    incident_id: int,
    *,
    action: ResponseAction,
    target: ActionTarget,
    requested_by: str,
    now: datetime,
    authority: Authority,
    emergency: bool,
    status: ActionStatus,
    reason: str,
    approval_due_at: datetime | None = None,
) -> ActionRecord:
    _row(session, incident_id)
    row = ActionRow(
        incident_id=incident_id,
        action=action.value,
        target=target.as_dict(),
        requested_by=requested_by,
        requested_at=now,
        authority=authority.value,
        emergency=emergency,
        status=status.value,
        reason=reason,
        approval_due_at=approval_due_at,
    )
    session.add(row)
    session.flush()
    return _action(row)


def _action_row(session: Session, action_id: int) -> ActionRow:
    row = session.get(ActionRow, action_id)
    if row is None:
        raise NotFoundError(f"no response action {action_id}")
    return row


def get_action(session: Session, action_id: int) -> ActionRecord:
    return _action(_action_row(session, action_id))


def finish_action(
    session: Session,
    action_id: int,
    *,
    now: datetime,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    error: str | None,
    approval_due_at: datetime | None = None,
) -> ActionRecord:
    """Record the outcome of an executed action (state read before and after)."""
    row = _action_row(session, action_id)
    row.status = (ActionStatus.FAILED if error else ActionStatus.EXECUTED).value
    row.executed_at = now
    row.before = before
    row.after = after
    row.error = error
    if approval_due_at is not None and row.approved_at is None:
        row.approval_due_at = approval_due_at
    session.flush()
    return _action(row)


def approve(session: Session, action_id: int, *, approver: str, now: datetime) -> ActionRecord:
    """Second approval: of a pending request (it may then run), or after an emergency act."""
    row = _action_row(session, action_id)
    if row.approved_at is not None:
        raise IncidentError(f"action {action_id} was already approved by {row.approved_by}")
    if row.authority != Authority.SECOND_APPROVER.value:
        raise IncidentError(f"action {action_id} does not need a second approver")
    if row.status not in (ActionStatus.PENDING_APPROVAL, ActionStatus.EXECUTED):
        raise IncidentError(f"action {action_id} is {row.status}; nothing to approve")
    row.approved_by = approver
    row.approved_at = now
    if row.status == ActionStatus.PENDING_APPROVAL:
        row.status = ActionStatus.APPROVED.value
    session.flush()
    return _action(row)


def approved_request(
    session: Session, incident_id: int, action: ResponseAction, target: ActionTarget
) -> ActionRecord | None:
    """A request for exactly this action and target that a second person approved.

    Only a row with a recorded approver counts: an action allowed on the actor's own
    authority is also written as `approved` before it runs, and if that run is
    interrupted the row stays behind; it must never stand in for a second approval.
    """
    rows = session.scalars(
        select(ActionRow)
        .where(
            ActionRow.incident_id == incident_id,
            ActionRow.action == action.value,
            ActionRow.status == ActionStatus.APPROVED.value,
            ActionRow.approved_by.is_not(None),
            ActionRow.approved_by != ActionRow.requested_by,
        )
        .order_by(ActionRow.id)
    )
    wanted = target.as_dict()
    for row in rows:
        if {k: v for k, v in row.target.items() if v} == wanted:
            return _action(row)
    return None


def actions(session: Session, incident_id: int) -> list[ActionRecord]:
    rows = session.scalars(
        select(ActionRow).where(ActionRow.incident_id == incident_id).order_by(ActionRow.id)
    )
    return [_action(r) for r in rows]


def overdue_approvals(session: Session, now: datetime) -> list[ActionRecord]:
    """Emergency actions whose after-the-fact approval is past due."""
    rows = session.scalars(
        select(ActionRow)
        .where(
            ActionRow.approval_due_at.is_not(None),
            ActionRow.approved_at.is_(None),
            ActionRow.approval_due_at < now,
        )
        .order_by(ActionRow.id)
    )
    return [_action(r) for r in rows]
