"""Baselines, change records and drift records in the store.

Decisions (adopting a baseline, opening/approving/closing a change, accepting drift)
append their audit entry in the caller's transaction. Detecting drift is not a
decision: it stores drift records for the detection engine to raise as alerts.
Run decisions through `cosec.store.exceptions.decide` so refusals are audited too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cosec.config import Person
from cosec.errors import NotFoundError
from cosec.governance import changes as rules
from cosec.governance.changes import ChangeRecord, ChangeState
from cosec.governance.decisions import Refused
from cosec.governance.drift import (
    TRACKED,
    ObjectDiff,
    attribute,
    diff_resource,
    digest,
    index,
)
from cosec.model.snapshot import JsonObject, Snapshot
from cosec.store import audit
from cosec.store.tables.governance import (
    BaselineResourceRow,
    BaselineRow,
    ChangeRow,
    DriftRow,
)

REMOVED = "removed"


# --- baseline ----------------------------------------------------------------------------


def baselined_resources(session: Session, tenant: str) -> set[str]:
    return set(
        session.scalars(
            select(BaselineResourceRow.resource).where(BaselineResourceRow.tenant == tenant)
        )
    )


def baseline_objects(session: Session, tenant: str, resource: str) -> dict[str, JsonObject]:
    rows = session.scalars(
        select(BaselineRow).where(BaselineRow.tenant == tenant, BaselineRow.resource == resource)
    )
    return {r.object_id: r.content for r in rows}


def _set_object(
    session: Session,
    *,
    tenant: str,
    resource: str,
    object_id: str,
    content: JsonObject | None,
    observed_at: datetime,
    now: datetime,
    by: str,
    origin: str,
) -> None:
    """Make `content` the approved state of one object (None removes it)."""
    session.execute(
        delete(BaselineRow).where(
            BaselineRow.tenant == tenant,
            BaselineRow.resource == resource,
            BaselineRow.object_id == object_id,
        )
    )
    if content is not None:
        session.add(
            BaselineRow(
                tenant=tenant,
                resource=resource,
                object_id=object_id,
                content=content,
                digest=digest(content),
                observed_at=observed_at,
                approved_at=now,
                approved_by=by,
                origin=origin,
            )
        )
    session.flush()


def adopt_baseline(
    session: Session, *, tenant: str, snapshot: Snapshot, person: Person, now: datetime
) -> dict[str, int]:
    """Adopt the snapshot's tracked, readable, not yet baselined resources as approved.

    Returns objects adopted per resource. A resource unreadable now stays un-baselined
    (adopt again once it can be read).
    """
    have = baselined_resources(session, tenant)
    new = [r for r in TRACKED if r not in have and snapshot.available(r)]
    rules.check_baseline_adoption(person, new)
    adopted: dict[str, int] = {}
    for resource in new:
        objects = index(resource, snapshot.items(resource))
        # a resource not yet baselined has no rows: insert them in bulk
        session.add_all(
            BaselineRow(
                tenant=tenant,
                resource=resource,
                object_id=oid,
                content=content,
                digest=digest(content),
                observed_at=snapshot.taken_at,
                approved_at=now,
                approved_by=person.id,
                origin="adopt",
            )
            for oid, content in objects.items()
        )
        session.add(
            BaselineResourceRow(
                tenant=tenant, resource=resource, adopted_at=now, adopted_by=person.id
            )
        )
        adopted[resource] = len(objects)
    unreadable = [r for r in TRACKED if r not in have and r not in adopted]
    audit.append(
        session,
        at=now,
        actor=person.id,
        party=person.party,
        action="baseline.adopt",
        subject=f"snapshot {snapshot.id}" if snapshot.id is not None else "snapshot",
        tenant=tenant,
        before=None,
        after={"objects": adopted, "snapshot_taken_at": snapshot.taken_at.isoformat()},
        note=f"not readable, not adopted: {', '.join(unreadable)}" if unreadable else "",
    )
    session.flush()
    return adopted


# --- change records ------------------------------------------------------------------------


def _change(row: ChangeRow) -> ChangeRecord:
    return ChangeRecord(
        id=row.code or f"CHG-{row.id:04d}",
        tenant=row.tenant,
        title=row.title,
        objects=tuple(row.objects),
        window_start=row.window_start,
        window_end=row.window_end,
        requester=row.requester,
        requester_party=row.requester_party,
        approver=row.approver,
        approved_at=row.approved_at,
        state=ChangeState(row.state),
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
    )


def _change_row(session: Session, code: str) -> ChangeRow:
    row = session.scalars(
        select(ChangeRow).where(ChangeRow.code == code.upper()).with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"no change {code!r}", hint="`cosec changes list` shows them.")
    return row


def _audit_change(
    session: Session,
    *,
    at: datetime,
    person: Person,
    action: str,
    row: ChangeRow,
    before: dict[str, object] | None,
    after_extra: dict[str, object] | None = None,
) -> ChangeRecord:
    record = _change(row)
    audit.append(
        session,
        at=at,
        actor=person.id,
        party=person.party,
        action=action,
        subject=record.id,
        tenant=record.tenant,
        before=before,
        after={**record.summary(), **(after_extra or {})},
    )
    return record


def open_change(
    session: Session,
    *,
    tenant: str,
    title: str,
    objects: Iterable[str],
    window_start: datetime,
    window_end: datetime,
    requester: Person,
    now: datetime,
) -> ChangeRecord:
    keys = rules.check_objects(objects)
    rules.check_window(window_start, window_end)
    if not title.strip():
        raise Refused("no_title", "a change needs a title saying what and why")
    row = ChangeRow(
        tenant=tenant,
        title=title,
        objects=list(keys),
        window_start=window_start,
        window_end=window_end,
        requester=requester.id,
        requester_party=requester.party,
        state=ChangeState.OPEN.value,
        opened_at=now,
    )
    session.add(row)
    session.flush()
    row.code = f"CHG-{row.id:04d}"
    return _audit_change(
        session, at=now, person=requester, action="change.open", row=row, before=None
    )


def approve_change(session: Session, code: str, *, person: Person, now: datetime) -> ChangeRecord:
    row = _change_row(session, code)
    before = _change(row)
    rules.check_change_approval(before, person)
    row.state = ChangeState.APPROVED.value
    row.approver = person.id
    row.approved_at = now
    return _audit_change(
        session, at=now, person=person, action="change.approve", row=row, before=before.summary()
    )


def close_change(
    session: Session, code: str, *, person: Person, now: datetime, snapshot: Snapshot
) -> ChangeRecord:
    """Close an approved change: its objects' state in `snapshot` becomes the baseline."""
    row = _change_row(session, code)
    before = _change(row)
    rules.check_close(before, person)
    if snapshot.taken_at < before.window_start:
        raise Refused(
            "stale_snapshot",
            f"the latest snapshot ({snapshot.taken_at:%Y-%m-%d %H:%M}) predates the change "
            "window; collect after making the change, then close it",
        )
    moved: dict[str, str] = {}
    have = baselined_resources(session, before.tenant)
    for key in before.objects:
        resource, _, oid = key.partition("/")
        if resource not in have:
            raise Refused(
                "not_baselined",
                f"{resource} has no approved baseline yet; adopt one first (cosec drift --adopt)",
            )
        if not snapshot.available(resource):
            raise Refused("unreadable", f"{resource} is not readable in the latest snapshot")
        content = index(resource, snapshot.items(resource)).get(oid)
        _set_object(
            session,
            tenant=before.tenant,
            resource=resource,
            object_id=oid,
            content=content,
            observed_at=snapshot.taken_at,
            now=now,
            by=person.id,
            origin=before.id,
        )
        moved[key] = digest(content) if content is not None else REMOVED
        _settle_drift(session, before.tenant, resource, oid, person, now, "accepted")
    row.state = ChangeState.CLOSED.value
    row.closed_at = now
    row.closed_by = person.id
    return _audit_change(
        session,
        at=now,
        person=person,
        action="change.close",
        row=row,
        before=before.summary(),
        after_extra={"baseline": moved},
    )


def get_change(session: Session, code: str) -> ChangeRecord:
    return _change(_change_row(session, code))


def list_changes(
    session: Session, *, tenant: str | None = None, state: ChangeState | None = None
) -> list[ChangeRecord]:
    query = select(ChangeRow).order_by(ChangeRow.id)
    if tenant is not None:
        query = query.where(ChangeRow.tenant == tenant)
    if state is not None:
        query = query.where(ChangeRow.state == state.value)
    return [_change(r) for r in session.scalars(query)]


# --- drift ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DriftRecord:
    id: str
    tenant: str
    resource: str
    object_id: str
    display_name: str | None
    kind: str
    changes: tuple[dict[str, Any], ...]
    detected_at: datetime
    observed_at: datetime
    actor: str | None
    acted_at: datetime | None
    activity: str | None
    state: str  # open | accepted | reverted | superseded
    decided_by: str | None
    decided_at: datetime | None

    @property
    def key(self) -> str:
        return f"{self.resource}/{self.object_id}"

    def describe(self) -> str:
        what = f"{TRACKED.get(self.resource, self.resource)} {self.display_name or self.object_id}"
        if self.kind != "changed":
            return f"{what} {self.kind}"
        return f"{what} changed: {', '.join(c['path'] for c in self.changes)}"


def _drift(row: DriftRow) -> DriftRecord:
    return DriftRecord(
        id=row.code or f"DRIFT-{row.id:04d}",
        tenant=row.tenant,
        resource=row.resource,
        object_id=row.object_id,
        display_name=row.display_name,
        kind=row.kind,
        changes=tuple(row.changes),
        detected_at=row.detected_at,
        observed_at=row.observed_at,
        actor=row.actor,
        acted_at=row.acted_at,
        activity=row.activity,
        state=row.state,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


@dataclass(frozen=True)
class DriftReport:
    tenant: str
    snapshot_taken_at: datetime
    new: list[DriftRecord] = field(default_factory=list)
    still_open: list[DriftRecord] = field(default_factory=list)
    reverted: list[DriftRecord] = field(default_factory=list)
    within_changes: list[tuple[ObjectDiff, str]] = field(default_factory=list)
    not_baselined: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _open_drift(session: Session, tenant: str) -> dict[tuple[str, str], DriftRow]:
    rows = session.scalars(
        select(DriftRow).where(DriftRow.tenant == tenant, DriftRow.state == "open")
    )
    return {(r.resource, r.object_id): r for r in rows}


def _settle_drift(
    session: Session,
    tenant: str,
    resource: str,
    object_id: str,
    person: Person | None,
    now: datetime,
    state: str,
) -> None:
    for row in session.scalars(
        select(DriftRow).where(
            DriftRow.tenant == tenant,
            DriftRow.resource == resource,
            DriftRow.object_id == object_id,
            DriftRow.state == "open",
        )
    ):
        row.state = state
        row.decided_by = person.id if person else None
        row.decided_at = now


def baseline_since(session: Session, tenant: str) -> datetime | None:
    """The earliest observation time in the baseline (start of the attribution window)."""
    found: datetime | None = session.scalar(
        select(func.min(BaselineRow.observed_at)).where(BaselineRow.tenant == tenant)
    )
    return found


def check_drift(
    session: Session,
    *,
    tenant: str,
    snapshot: Snapshot,
    audit_events: Sequence[JsonObject],
    now: datetime,
) -> DriftReport:
    """Diff `snapshot` against the approved baseline and store the unapproved differences.

    `audit_events` are raw directoryAudits events covering the attribution window
    (from `baseline_since` to the snapshot); they name who made each change and when.
    """
    have = baselined_resources(session, tenant)
    if not have:
        raise NotFoundError(
            f"tenant {tenant} has no approved baseline",
            hint="A change approver adopts one first: cosec drift --adopt",
        )
    changes = list_changes(session, tenant=tenant, state=ChangeState.APPROVED)
    open_rows = _open_drift(session, tenant)
    report = DriftReport(tenant, snapshot.taken_at)
    seen: set[tuple[str, str]] = set()
    for resource in TRACKED:
        if resource not in have:
            if snapshot.available(resource):
                report.not_baselined.append(resource)
            continue
        if not snapshot.available(resource):
            report.unreadable.append(resource)
            continue
        baseline_rows = {
            r.object_id: r
            for r in session.scalars(
                select(BaselineRow).where(
                    BaselineRow.tenant == tenant, BaselineRow.resource == resource
                )
            )
        }
        latest_obs = max((r.observed_at for r in baseline_rows.values()), default=None)
        current = index(resource, snapshot.items(resource))
        baseline = {oid: r.content for oid, r in baseline_rows.items()}
        for diff in diff_resource(resource, baseline, current):
            seen.add((resource, diff.object_id))
            base_row = baseline_rows.get(diff.object_id)
            since = base_row.observed_at if base_row else latest_obs
            who = attribute(diff.object_id, audit_events, since, snapshot.taken_at)
            made_from = who.at if who else since
            made_until = who.at if who else snapshot.taken_at
            covering = next((c for c in changes if c.covers(diff.key, made_from, made_until)), None)
            if covering is not None:
                report.within_changes.append((diff, covering.id))
                continue
            current_digest = digest(diff.current) if diff.current is not None else REMOVED
            existing = open_rows.get((resource, diff.object_id))
            if existing is not None and existing.digest == current_digest:
                report.still_open.append(_drift(existing))
                continue
            if existing is not None:
                existing.state = "superseded"
                existing.decided_at = now
            row = DriftRow(
                tenant=tenant,
                resource=resource,
                object_id=diff.object_id,
                display_name=diff.display_name,
                kind=diff.kind,
                changes=[c.as_dict() for c in diff.changes],
                content=diff.current,
                digest=current_digest,
                snapshot_id=snapshot.id,
                detected_at=now,
                observed_at=snapshot.taken_at,
                actor=who.actor if who else None,
                acted_at=who.at if who else None,
                activity=who.activity if who else None,
                state="open",
            )
            session.add(row)
            session.flush()
            row.code = f"DRIFT-{row.id:04d}"
            report.new.append(_drift(row))
    for (resource, oid), row in open_rows.items():
        if (resource, oid) not in seen and resource in have and snapshot.available(resource):
            row.state = "reverted"
            row.decided_at = now
            report.reverted.append(_drift(row))
    session.flush()
    return report


def _drift_row(session: Session, code: str) -> DriftRow:
    row = session.scalars(
        select(DriftRow).where(DriftRow.code == code.upper()).with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"no drift record {code!r}", hint="`cosec drift` lists open drift.")
    return row


def accept_drift(session: Session, code: str, *, person: Person, now: datetime) -> DriftRecord:
    """Accept an open drift into the baseline (a change approver's decision)."""
    rules.check_drift_acceptance(person)
    row = _drift_row(session, code)
    if row.state != "open":
        raise Refused("state", f"{row.code} is {row.state}; only open drift can be accepted")
    previous = baseline_objects(session, row.tenant, row.resource).get(row.object_id)
    _set_object(
        session,
        tenant=row.tenant,
        resource=row.resource,
        object_id=row.object_id,
        content=row.content,
        observed_at=row.observed_at,
        now=now,
        by=person.id,
        origin=row.code or "",
    )
    row.state = "accepted"
    row.decided_by = person.id
    row.decided_at = now
    record = _drift(row)
    audit.append(
        session,
        at=now,
        actor=person.id,
        party=person.party,
        action="drift.accept",
        subject=record.id,
        tenant=record.tenant,
        before={"object": record.key, "baseline": previous},
        after={"object": record.key, "baseline": row.content, "changes": list(record.changes)},
        note=f"made by {record.actor or 'unknown'}"
        + (f" at {record.acted_at.isoformat()}" if record.acted_at else ""),
    )
    return record


def list_drift(
    session: Session, *, tenant: str | None = None, state: str | None = None
) -> list[DriftRecord]:
    query = select(DriftRow).order_by(DriftRow.id)
    if tenant is not None:
        query = query.where(DriftRow.tenant == tenant)
    if state is not None:
        query = query.where(DriftRow.state == state)
    return [_drift(r) for r in session.scalars(query)]


@dataclass(frozen=True)
class DriftCounts:
    detected: int
    accepted: int
    reverted: int
    open_now: int
    attributed: int


def drift_counts(session: Session, tenant: str, start: datetime, end: datetime) -> DriftCounts:
    """Drift detected in [start, end) and how it ended, for metrics and reviews."""
    records = list_drift(session, tenant=tenant)
    period = [r for r in records if start <= r.detected_at < end]
    return DriftCounts(
        detected=len(period),
        accepted=sum(r.state == "accepted" for r in period),
        reverted=sum(r.state == "reverted" for r in period),
        open_now=sum(r.state == "open" for r in records),
        attributed=sum(r.actor is not None for r in period),
    )
