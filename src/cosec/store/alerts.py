"""The triage queue in the store: alerts raised from detection hits, and their history.

Query functions for reports and metrics:

- `list_alerts(session, tenant=…, states=…, since=…, until=…)` → `AlertRecord`s (each
  with `first_seen_at` = event time, `detected_at`, `triage_started_at`, `closed_at`,
  `sla_breached_at`, `severity`, `owner_party`/`owner_role`, `state`, `incident_id`);
- `AlertRecord.sla(now)` → the SLA clock (`cosec.detect.sla.SlaStatus`), pauses excluded;
- `triage_times(session, tenant, since, until)` → per alert detected in the period: time
  to detect, report-to-triage (detection → triage start) and time to decision;
- `history(session, alert_id)` → every change with who and when.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cosec.config import Severity
from cosec.detect.rules import Hit
from cosec.detect.sla import Pause, SlaStatus, check_pause_reason, clock
from cosec.detect.triage import (
    CLOSED_STATES,
    ONGOING_STATES,
    QUEUE_STATES,
    AlertChange,
    AlertState,
    ChangeKind,
    KnownAlert,
    TriageAction,
    TriageError,
    check_snooze,
    plan,
    transition,
)
from cosec.errors import NotFoundError
from cosec.incidents.timeline import EntryKind
from cosec.model.governance import ExceptionGrant, Owner
from cosec.store.tables.detect import AlertHistoryRow, AlertRow, DetectCursorRow, TimelineRow

SYSTEM = "cosec"


@dataclass(frozen=True)
class AlertRecord:
    id: int
    tenant: str
    rule_id: str
    fingerprint: str
    severity: Severity
    title: str
    area: str
    subject: str
    state: AlertState
    first_seen_at: datetime
    last_seen_at: datetime
    detected_at: datetime
    occurrences: int
    evidence: list[dict[str, Any]]
    details: dict[str, Any]
    owner_party: str | None
    owner_role: str | None
    assignee: str | None
    sla_window: timedelta
    sla_breached_at: datetime | None
    pauses: tuple[Pause, ...]
    snoozed_until: datetime | None
    triage_started_at: datetime | None
    triage_started_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    close_reason: str | None
    suppressed_by: str | None
    incident_id: int | None

    @property
    def code(self) -> str:
        return f"ALR-{self.id}"

    def sla(self, now: datetime) -> SlaStatus:
        """Triage SLA: from the first event to the triage decision, pauses excluded."""
        stopped = self.closed_at if self.state not in QUEUE_STATES else None
        return clock(
            started_at=self.first_seen_at,
            window=self.sla_window,
            pauses=self.pauses,
            stopped_at=stopped,
            now=now,
        )

    def snoozed(self, now: datetime) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str


@dataclass(frozen=True)
class ApplyResult:
    created: tuple[int, ...]
    updated: tuple[int, ...]
    reopened: tuple[int, ...]
    suppressed: tuple[int, ...]
    ignored: int


def _pauses(raw: list[dict[str, Any]]) -> tuple[Pause, ...]:
    return tuple(
        Pause(
            datetime.fromisoformat(p["started_at"]),
            datetime.fromisoformat(p["ended_at"]) if p.get("ended_at") else None,
            str(p.get("reason", "")),
        )
        for p in raw
    )


def _record(row: AlertRow) -> AlertRecord:
    return AlertRecord(
        id=row.id,
        tenant=row.tenant,
        rule_id=row.rule_id,
        fingerprint=row.fingerprint,
        severity=Severity(row.severity),
        title=row.title,
        area=row.area,
        subject=row.subject,
        state=AlertState(row.state),
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        detected_at=row.detected_at,
        occurrences=row.occurrences,
        evidence=list(row.evidence or []),
        details=dict(row.details or {}),
        owner_party=row.owner_party,
        owner_role=row.owner_role,
        assignee=row.assignee,
        sla_window=timedelta(seconds=row.sla_seconds),
        sla_breached_at=row.sla_breached_at,
        pauses=_pauses(list(row.pauses or [])),
        snoozed_until=row.snoozed_until,
        triage_started_at=row.triage_started_at,
        triage_started_by=row.triage_started_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        close_reason=row.close_reason,
        suppressed_by=row.suppressed_by,
        incident_id=row.incident_id,
    )


def _evidence(hit: Hit) -> list[dict[str, Any]]:
    return [
        {
            "source": e.source,
            "id": e.id,
            "at": e.at.isoformat() if e.at else None,
            "summary": e.summary,
        }
        for e in hit.evidence
    ]


def _history(
    session: Session,
    row: AlertRow,
    *,
    at: datetime,
    actor: str,
    action: str,
    before: str | None,
    note: str = "",
) -> None:
    session.add(
        AlertHistoryRow(
            alert_id=row.id,
            at=at,
            actor=actor,
            action=action,
            from_state=before,
            to_state=row.state,
            note=note,
        )
    )


def lock_queue(session: Session, tenant: str) -> None:
    """Serialise detection runs of one tenant (two runs would both raise the same alert)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"detect:{tenant}".encode()).digest()[:8], "big")
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key - 2**63})
    elif dialect == "sqlite":
        session.execute(text("UPDATE detect_cursors SET tenant = tenant WHERE 0"))


def _latest_by_fingerprint(
    session: Session, tenant: str, fps: Sequence[str]
) -> dict[str, AlertRow]:
    out: dict[str, AlertRow] = {}
    if not fps:
        return out
    rows = session.scalars(
        select(AlertRow)
        .where(AlertRow.tenant == tenant, AlertRow.fingerprint.in_(sorted(set(fps))))
        .order_by(AlertRow.id)
    )
    for row in rows:
        out[row.fingerprint] = row  # highest id wins: the latest alert of the condition
    return out


def _merge(row: AlertRow, hit: Hit) -> list[dict[str, Any]]:
    """Fold a hit into its alert; returns the evidence that was new."""
    known = {(e["source"], e["id"]) for e in row.evidence or []}
    fresh = [e for e in _evidence(hit) if (e["source"], e["id"]) not in known]
    if fresh:
        row.evidence = [*(row.evidence or []), *fresh]
        row.occurrences += len(fresh)
    row.last_seen_at = max(row.last_seen_at, hit.last_seen_at)
    row.first_seen_at = min(row.first_seen_at, hit.first_seen_at)
    row.details = {**(row.details or {}), **dict(hit.details)}
    return fresh


def _onto_incident(
    session: Session, row: AlertRow, fresh: list[dict[str, Any]], now: datetime
) -> None:
    """New evidence of an escalated alert lands on its incident's timeline."""
    if row.incident_id is None:
        return
    for e in fresh:
        session.add(
            TimelineRow(
                incident_id=row.incident_id,
                at=now,
                kind=EntryKind.DETECTION.value,
                actor=SYSTEM,
                text=f"new evidence on ALR-{row.id}: {e['summary']}",
                data={"alert": row.id, "evidence": f"{e['source']}/{e['id']}"},
            )
        )


def apply_hits(
    session: Session,
    *,
    tenant: str,
    hits: Sequence[Hit],
    grants: Sequence[ExceptionGrant],
    now: datetime,
    sla_windows: Mapping[Severity, timedelta],
    owner: Owner | None,
    base_ids: Mapping[str, str],
) -> ApplyResult:
    """Create, update, re-open or suppress alerts for detection hits (one per condition)."""
    rows = _latest_by_fingerprint(session, tenant, [h.fingerprint for h in hits])
    known = {
        fp: KnownAlert(
            row.id,
            AlertState(row.state),
            frozenset(f"{e['source']}/{e['id']}" for e in row.evidence or []),
        )
        for fp, row in rows.items()
    }
    changes: list[AlertChange] = plan(
        hits, known, tenant=tenant, grants=grants, now=now, base_ids=base_ids
    )
    created: list[int] = []
    updated: list[int] = []
    reopened: list[int] = []
    suppressed: list[int] = []
    ignored = 0
    for change in changes:
        hit = change.hit
        if change.kind is ChangeKind.IGNORE:
            ignored += 1
            continue
        if change.kind is ChangeKind.CREATE:
            row = AlertRow(
                tenant=tenant,
                rule_id=hit.rule_id,
                fingerprint=hit.fingerprint,
                severity=hit.severity.value,
                title=hit.title,
                area=hit.area.value,
                subject=hit.subject[:256],
                state=(AlertState.SUPPRESSED if change.suppressed_by else AlertState.NEW).value,
                first_seen_at=hit.first_seen_at,
                last_seen_at=hit.last_seen_at,
                detected_at=now,
                occurrences=len(hit.evidence),
                evidence=_evidence(hit),
                details=dict(hit.details),
                owner_party=owner.party if owner else None,
                owner_role=owner.role if owner else None,
                assignee=owner.person if owner else None,
                sla_seconds=int(sla_windows[hit.severity].total_seconds()),
                pauses=[],
                suppressed_by=change.suppressed_by,
            )
            session.add(row)
            session.flush()
            note = f"{hit.rule_id}: {hit.subject}"
            if change.suppressed_by:
                note += f" (suppressed by exception {change.suppressed_by})"
            _history(session, row, at=now, actor=SYSTEM, action="raise", before=None, note=note)
            rows[hit.fingerprint] = row
            (suppressed if change.suppressed_by else created).append(row.id)
            continue
        row = session.get_one(AlertRow, change.alert_id)
        before = row.state
        fresh = _merge(row, hit)
        if change.kind is ChangeKind.REOPEN:
            row.state = AlertState.NEW.value
            row.suppressed_by = None
            row.first_seen_at = hit.last_seen_at  # the SLA runs from the first unsuppressed event
            _history(
                session,
                row,
                at=now,
                actor=SYSTEM,
                action="reopen",
                before=before,
                note="the exception covering it lapsed",
            )
            reopened.append(row.id)
        elif change.kind is ChangeKind.SUPPRESS:
            row.state = AlertState.SUPPRESSED.value
            row.suppressed_by = change.suppressed_by
            _history(
                session,
                row,
                at=now,
                actor=SYSTEM,
                action="suppress",
                before=before,
                note=f"covered by exception {change.suppressed_by}",
            )
            suppressed.append(row.id)
        else:
            if row.state == AlertState.ESCALATED.value:
                _onto_incident(session, row, fresh, now)
            updated.append(row.id)
    session.flush()
    return ApplyResult(tuple(created), tuple(updated), tuple(reopened), tuple(suppressed), ignored)


def _row(session: Session, alert_id: int) -> AlertRow:
    row = session.get(AlertRow, alert_id)
    if row is None:
        raise NotFoundError(f"no alert {alert_id}", hint="List alerts with `cosec alerts list`.")
    return row


def get_alert(session: Session, alert_id: int) -> AlertRecord:
    return _record(_row(session, alert_id))


def list_alerts(
    session: Session,
    *,
    tenant: str | None = None,
    states: Sequence[AlertState] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AlertRecord]:
    """Alerts detected in [since, until), newest first."""
    query = select(AlertRow).order_by(AlertRow.id.desc())
    if tenant is not None:
        query = query.where(AlertRow.tenant == tenant)
    if states is not None:
        query = query.where(AlertRow.state.in_([s.value for s in states]))
    if since is not None:
        query = query.where(AlertRow.detected_at >= since)
    if until is not None:
        query = query.where(AlertRow.detected_at < until)
    return [_record(r) for r in session.scalars(query)]


def history(session: Session, alert_id: int) -> list[HistoryEntry]:
    _row(session, alert_id)
    rows = session.scalars(
        select(AlertHistoryRow)
        .where(AlertHistoryRow.alert_id == alert_id)
        .order_by(AlertHistoryRow.at, AlertHistoryRow.id)
    )
    return [HistoryEntry(r.at, r.actor, r.action, r.from_state, r.to_state, r.note) for r in rows]


def assign(
    session: Session, alert_id: int, *, assignee: str, actor: str, now: datetime
) -> AlertRecord:
    row = _row(session, alert_id)
    if AlertState(row.state) not in ONGOING_STATES:
        raise TriageError(f"alert {alert_id} is {row.state}; closed alerts are not reassigned")
    previous = row.assignee
    row.assignee = assignee
    _history(
        session,
        row,
        at=now,
        actor=actor,
        action="assign",
        before=row.state,
        note=f"{previous or 'unassigned'} → {assignee}",
    )
    session.flush()
    return _record(row)


def _close_sla(row: AlertRow, at: datetime) -> None:
    record = _record(row)
    status = record.sla(at)
    if status.breached and row.sla_breached_at is None:
        row.sla_breached_at = status.due_at


def triage(
    session: Session,
    alert_id: int,
    action: TriageAction,
    *,
    actor: str,
    now: datetime,
    reason: str = "",
    incident_id: int | None = None,
) -> AlertRecord:
    """Apply a triage step (start, dismiss, escalate, resolve) with who, when and why."""
    row = _row(session, alert_id)
    before = AlertState(row.state)
    after = transition(before, action, reason=reason)
    if action is TriageAction.ESCALATE and incident_id is None:
        raise TriageError("escalating needs the incident it goes to")
    if before is AlertState.NEW:
        row.triage_started_at = now
        row.triage_started_by = actor
    if after in CLOSED_STATES or after is AlertState.ESCALATED:
        _close_sla(row, now)
        row.closed_at = now
        row.closed_by = actor
        row.close_reason = reason or None
        row.snoozed_until = None
        row.pauses = [{**p, "ended_at": p["ended_at"] or now.isoformat()} for p in row.pauses or []]
    if incident_id is not None:
        row.incident_id = incident_id
    row.state = after.value
    note = reason or (f"incident {incident_id}" if incident_id else "")
    _history(session, row, at=now, actor=actor, action=action.value, before=before.value, note=note)
    session.flush()
    return _record(row)


def snooze(
    session: Session,
    alert_id: int,
    *,
    until: datetime,
    actor: str,
    now: datetime,
    limit: timedelta,
    reason: str,
) -> AlertRecord:
    """Hide an alert from the queue until `until` (it comes back by itself)."""
    row = _row(session, alert_id)
    check_snooze(AlertState(row.state), until, now, limit)
    row.snoozed_until = until
    _history(
        session,
        row,
        at=now,
        actor=actor,
        action="snooze",
        before=row.state,
        note=f"until {until.isoformat()}: {reason}",
    )
    session.flush()
    return _record(row)


def pause_sla(
    session: Session, alert_id: int, *, reason: str, actor: str, now: datetime
) -> AlertRecord:
    """Pause the SLA clock for an explicit reason (e.g. waiting on the client)."""
    try:
        check_pause_reason(reason)
    except ValueError as exc:
        raise TriageError(str(exc)) from None
    row = _row(session, alert_id)
    if AlertState(row.state) not in QUEUE_STATES:
        raise TriageError(f"alert {alert_id} is {row.state}; its SLA clock has stopped")
    if any(p.get("ended_at") is None for p in row.pauses or []):
        raise TriageError(f"the SLA clock of alert {alert_id} is already paused")
    row.pauses = [
        *(row.pauses or []),
        {"started_at": now.isoformat(), "ended_at": None, "reason": reason, "by": actor},
    ]
    _history(session, row, at=now, actor=actor, action="pause", before=row.state, note=reason)
    session.flush()
    return _record(row)


def resume_sla(session: Session, alert_id: int, *, actor: str, now: datetime) -> AlertRecord:
    row = _row(session, alert_id)
    if not any(p.get("ended_at") is None for p in row.pauses or []):
        raise TriageError(f"the SLA clock of alert {alert_id} is not paused")
    row.pauses = [{**p, "ended_at": p.get("ended_at") or now.isoformat()} for p in row.pauses or []]
    _history(session, row, at=now, actor=actor, action="resume", before=row.state)
    session.flush()
    return _record(row)


def record_breaches(session: Session, *, now: datetime, tenant: str | None = None) -> list[int]:
    """Mark queue alerts whose SLA has run out; returns their ids (each recorded once)."""
    query = select(AlertRow).where(
        AlertRow.state.in_([s.value for s in QUEUE_STATES]), AlertRow.sla_breached_at.is_(None)
    )
    if tenant is not None:
        query = query.where(AlertRow.tenant == tenant)
    breached: list[int] = []
    for row in session.scalars(query):
        status = _record(row).sla(now)
        if status.breached:
            row.sla_breached_at = status.due_at
            _history(
                session,
                row,
                at=now,
                actor=SYSTEM,
                action="sla_breach",
                before=row.state,
                note=f"due {status.due_at.isoformat()}",
            )
            breached.append(row.id)
    session.flush()
    return breached


@dataclass(frozen=True)
class TriageTimes:
    alert_id: int
    severity: Severity
    time_to_detect: timedelta  # first event → alert raised
    report_to_triage: timedelta | None  # alert raised → triage started
    time_to_decision: timedelta | None  # alert raised → dismissed/escalated/resolved
    sla_met: bool | None  # None while still open and not breached


def triage_times(
    session: Session, tenant: str, since: datetime, until: datetime
) -> list[TriageTimes]:
    """Response times of every alert detected in [since, until) (suppressed excluded)."""
    out: list[TriageTimes] = []
    for a in list_alerts(session, tenant=tenant, since=since, until=until):
        if a.state is AlertState.SUPPRESSED:
            continue
        met: bool | None
        if a.sla_breached_at is not None:
            met = False
        elif a.state in QUEUE_STATES:
            met = None
        else:
            met = True
        out.append(
            TriageTimes(
                alert_id=a.id,
                severity=a.severity,
                time_to_detect=a.detected_at - a.first_seen_at,
                report_to_triage=(a.triage_started_at - a.detected_at)
                if a.triage_started_at
                else None,
                time_to_decision=(a.closed_at - a.detected_at) if a.closed_at else None,
                sla_met=met,
            )
        )
    return out


def cursor(session: Session, tenant: str, stream: str) -> datetime | None:
    row = session.get(DetectCursorRow, (tenant, stream))
    return None if row is None else row.position


def set_cursor(
    session: Session, tenant: str, stream: str, position: datetime, *, now: datetime
) -> None:
    row = session.get(DetectCursorRow, (tenant, stream))
    if row is None:
        session.add(
            DetectCursorRow(tenant=tenant, stream=stream, position=position, updated_at=now)
        )
    elif position > row.position:
        row.position = position
        row.updated_at = now
    session.flush()
