"""What happened and what was decided in a period: the incident and decision sections of
the reviews, read from the store and named for a reader (ids resolved through the
snapshot's `Directory`, people through cosec.yaml).

Incident times come from `cosec.model.derived.incident_times.response_times`, the one definition
(every figure measured from the first detection), as `cosec incidents times` shows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cosec.config import Workspace
from cosec.governance.exceptions import ExceptionRecord, ExceptionState, relied_on_after_expiry
from cosec.incidents.timeline import EntryKind, ResponseTimes, response_times
from cosec.metrics.periods import Period
from cosec.model.view import TenantView
from cosec.reports.names import Directory
from cosec.store import alerts as alert_store
from cosec.store import changes as change_store
from cosec.store import exceptions as exception_store
from cosec.store import incidents as incident_store


def person_label(workspace: Workspace, person_id: str | None) -> str:
    """'Jordan Lee (partner)' for a person of cosec.yaml; the id as given otherwise."""
    if not person_id:
        return "—"
    for p in workspace.people:
        if p.id == person_id:
            return f"{p.name} ({p.party})"
    return person_id


@dataclass(frozen=True)
class ActionLine:
    at: datetime
    action: str
    target: str
    by: str
    status: str
    changes: tuple[str, ...]  # "field: before → after" for what the action changed


@dataclass(frozen=True)
class CheckLine:
    text: str
    done_at: datetime | None
    done_by: str


@dataclass(frozen=True)
class IncidentSummary:
    code: str
    title: str
    type: str
    severity: str
    status: str
    declared_at: datetime
    declared_by: str
    closed_at: datetime | None
    happened: tuple[str, ...]
    affected: tuple[str, ...]
    acted: tuple[str, ...]
    actions: tuple[ActionLine, ...]
    checklist: tuple[CheckLine, ...]
    times: ResponseTimes

    @property
    def contained(self) -> bool:
        return all(c.done_at is not None for c in self.checklist)


def hours(value: timedelta | None) -> str:
    """'3.5 h' (or '—'), the unit every review time figure uses."""
    return "—" if value is None else f"{value.total_seconds() / 3600:.1f} h"


def _short(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    return str(value)


def state_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    """What an action changed, read back from the tenant before and after it ran."""
    if before is None or after is None:
        return ()
    keys = [k for k in after if before.get(k) != after.get(k)]
    return tuple(f"{k}: {_short(before.get(k))} → {_short(after.get(k))}" for k in keys)


def _in_period(
    i: incident_store.IncidentRecord, first_seen: datetime, period: Period, now: datetime
) -> bool:
    """Detected in the period (even if declared after it, up to `now`), or open during it."""
    if i.declared_at > now:
        return False
    if period.contains(first_seen) or period.contains(i.declared_at):
        return True
    return i.declared_at < period.end and (i.closed_at is None or i.closed_at >= period.start)


def incident_summaries(
    session: Session,
    workspace: Workspace,
    tenant: str,
    period: Period,
    names: Directory,
    now: datetime,
) -> list[IncidentSummary]:
    """Incidents first detected or declared in the period, or open during it, oldest first."""
    out = []
    types = workspace.incident_response.types
    first = (EntryKind.EVENT, EntryKind.DETECTION)
    for i in sorted(incident_store.list_incidents(session, tenant=tenant), key=lambda i: i.id):
        entries = incident_store.timeline(session, i.id)
        seen = min([e.at for e in entries if e.kind in first], default=i.declared_at)
        if not _in_period(i, seen, period, now):
            continue
        happened = [names.humanise(e.text) for e in entries if e.kind in first]
        subjects = sorted({alert_store.get_alert(session, a).subject for a in i.alert_ids})
        actions = incident_store.actions(session, i.id)
        targets = {a.target.user for a in actions if a.target.user}
        acted = sorted(
            {e.actor for e in entries if e.actor not in ("-", "cosec", "?")}
            | {a.requested_by for a in actions}
        )
        out.append(
            IncidentSummary(
                code=i.code,
                title=i.title,
                type=types[i.type].title if i.type in types else i.type,
                severity=i.severity.value,
                status=i.status.value,
                declared_at=i.declared_at,
                declared_by=person_label(workspace, i.declared_by),
                closed_at=i.closed_at,
                happened=tuple(happened),
                affected=tuple(names.describe(s) for s in sorted(set(subjects) | targets)),
                acted=tuple(person_label(workspace, p) for p in acted),
                actions=tuple(
                    ActionLine(
                        a.executed_at or a.requested_at,
                        a.action.value.replace("_", " "),
                        names.humanise(" ".join(names.label(v) for v in _target_parts(a))),
                        person_label(workspace, a.requested_by),
                        a.status.value.replace("_", " "),
                        tuple(names.humanise(c) for c in state_changes(a.before, a.after)),
                    )
                    for a in actions
                ),
                checklist=tuple(
                    CheckLine(c.text, c.done_at, person_label(workspace, c.done_by))
                    for c in i.checklist
                ),
                times=response_times(entries),
            )
        )
    return out


def _target_parts(a: incident_store.ActionRecord) -> list[str]:
    parts = [a.target.user or ""]
    if a.target.rule:
        parts.append(f"rule {a.target.rule}")
    if a.target.device:
        parts.append(a.target.device)
    return [p for p in parts if p]


# --- decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionLine:
    """One decision event on the exception register."""

    at: datetime
    id: str
    control: str
    event: str  # requested | approved | rejected | expired | renewed | revoked
    by: str
    scope: tuple[str, ...]
    note: str = ""
    scope_ids: tuple[str, ...] = ()
    severity: str = ""  # of the accepted control


@dataclass(frozen=True)
class PendingChange:
    """Drift nobody has accepted or reverted yet."""

    id: str
    detected_at: datetime
    what: str
    by: str
    privileged: bool
    still_present: bool
    principal: str = ""  # who holds a still-present privileged grant


@dataclass
class Decisions:
    lines: list[DecisionLine] = field(default_factory=list)
    relied_on: list[DecisionLine] = field(default_factory=list)
    pending_changes: list[PendingChange] = field(default_factory=list)

    def count(self, event: str) -> int:
        return sum(1 for line in self.lines if line.event == event)


def _scope(r: ExceptionRecord, names: Directory) -> tuple[str, ...]:
    return tuple(names.describe(s) for s in r.scope) or ("whole tenant",)


def exception_events(
    records: Iterable[ExceptionRecord],
    period: Period,
    as_of: datetime,
    names: Directory,
    label: Any,
) -> list[DecisionLine]:
    """Requested, renewed, approved, rejected, revoked and expired in the period."""
    out = []
    for r in records:
        scope = _scope(r, names)
        if period.contains(r.proposed_at):
            event = "renewal requested" if r.renewal_of else "requested"
            note = f"renews {r.renewal_of}" if r.renewal_of else r.justification
            out.append(
                DecisionLine(
                    r.proposed_at, r.id, r.control_id, event, label(r.requester), scope, note
                )
            )
        if r.decided_at is not None and period.contains(r.decided_at) and r.decided_at <= as_of:
            event = {
                ExceptionState.REJECTED: "rejected",
                ExceptionState.REVOKED: "revoked",
            }.get(r.state, "approved")
            out.append(
                DecisionLine(
                    r.decided_at, r.id, r.control_id, event, label(r.approver or r.risk_owner),
                    scope, f"until {r.expires_at:%d %b %Y}" if event == "approved" else "",
                )
            )  # fmt: skip
        expired = r.state_at(as_of) is ExceptionState.EXPIRED
        if expired and period.contains(r.expires_at):
            out.append(
                DecisionLine(
                    r.expires_at, r.id, r.control_id, "expired", "—", scope,
                    f"risk owner {label(r.risk_owner)}",
                )
            )  # fmt: skip
    return sorted(out, key=lambda d: (d.at, d.id))


def _role_grant(view: TenantView | None, assignment_id: str) -> tuple[str, str] | None:
    """(principal id, role name) of a role assignment in the snapshot, if present."""
    if view is None or not view.available("roleAssignments"):
        return None
    for grant in view.role_assignments:
        if grant.id == assignment_id:
            return grant.principal_id, view.role_name(view.role_template(grant.role_definition_id))
    return None


def pending_changes(
    session: Session,
    workspace: Workspace,
    tenant: str,
    as_of: datetime,
    view: TenantView | None,
    names: Directory,
) -> list[PendingChange]:
    """Drift detected by `as_of` and still open: unapproved, awaiting a decision."""
    out = []
    for d in change_store.list_drift(session, tenant=tenant, state="open"):
        if d.detected_at > as_of:
            continue
        what = names.humanise(d.describe())
        privileged = d.resource in ("roleAssignments", "roleEligibilitySchedules")
        present = False
        principal = ""
        if privileged:
            grant = _role_grant(view, d.object_id)
            present = grant is not None
            if grant is not None:
                principal = grant[0]
                what = f"{grant[1]} role granted to {names.describe(grant[0])}"
        out.append(
            PendingChange(
                d.id,
                d.detected_at,
                what,
                names.humanise(d.actor or "unknown"),
                privileged,
                present,
                principal,
            )
        )
    return out


def decisions(
    session: Session,
    workspace: Workspace,
    tenant: str,
    period: Period,
    as_of: datetime,
    view: TenantView | None,
    names: Directory,
    exposed: Collection[str],
) -> Decisions:
    """The decisions section: register events, acceptances relied on, open drift."""
    records = exception_store.list_records(session, tenant=tenant)
    by_id = {r.id: r for r in records}

    def label(pid: str | None) -> str:
        return person_label(workspace, pid)

    relied = [
        DecisionLine(
            by_id[i].expires_at, i, by_id[i].control_id, "expired, still relied on",
            label(by_id[i].risk_owner), _scope(by_id[i], names), by_id[i].justification,
            by_id[i].scope, by_id[i].severity.value,
        )
        for i in relied_on_after_expiry(records, exposed, as_of)
    ]  # fmt: skip
    return Decisions(
        lines=exception_events(records, period, as_of, names, label),
        relied_on=relied,
        pending_changes=pending_changes(session, workspace, tenant, as_of, view, names),
    )
