"""The triage queue's states, transitions and de-duplication decisions.

    new ──start──► triaging ──dismiss (reason)──► dismissed
     │                 ├─────escalate (incident)─► escalated
     └──(any of these from new too)──resolve─────► resolved
    suppressed: covered by a valid exception grant; re-opens to new when the grant lapses

One alert per ongoing condition: a hit whose fingerprint matches an alert that is still
open (new, triaging, escalated, suppressed) updates it; a closed alert (dismissed,
resolved) absorbs repeats of the evidence it already holds, and new evidence of the same
condition opens a new alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cosec.detect.rules import Hit
from cosec.errors import CosecError
from cosec.model.governance import ExceptionGrant


class TriageError(CosecError):
    """A triage step that the alert's state does not allow."""

    hint = "Check the alert's state with `cosec alerts show ID`."


class AlertState(StrEnum):
    NEW = "new"
    TRIAGING = "triaging"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    SUPPRESSED = "suppressed"


class TriageAction(StrEnum):
    START = "start"
    DISMISS = "dismiss"
    ESCALATE = "escalate"
    RESOLVE = "resolve"


QUEUE_STATES = frozenset({AlertState.NEW, AlertState.TRIAGING})
ONGOING_STATES = frozenset(
    {AlertState.NEW, AlertState.TRIAGING, AlertState.ESCALATED, AlertState.SUPPRESSED}
)
CLOSED_STATES = frozenset({AlertState.DISMISSED, AlertState.RESOLVED})

_NEXT: dict[TriageAction, tuple[frozenset[AlertState], AlertState]] = {
    TriageAction.START: (frozenset({AlertState.NEW}), AlertState.TRIAGING),
    TriageAction.DISMISS: (QUEUE_STATES, AlertState.DISMISSED),
    TriageAction.ESCALATE: (QUEUE_STATES, AlertState.ESCALATED),
    TriageAction.RESOLVE: (QUEUE_STATES, AlertState.RESOLVED),
}


def transition(state: AlertState, action: TriageAction, *, reason: str = "") -> AlertState:
    """The state after `action`, or TriageError. Dismissing and resolving need a reason."""
    allowed, target = _NEXT[action]
    if state not in allowed:
        raise TriageError(f"cannot {action.value} an alert that is {state.value}")
    if action in (TriageAction.DISMISS, TriageAction.RESOLVE) and not reason.strip():
        raise TriageError(f"{action.value} needs a reason", hint="Pass --reason TEXT.")
    return target


def check_snooze(state: AlertState, until: datetime, now: datetime, limit: timedelta) -> None:
    if state not in QUEUE_STATES:
        raise TriageError(f"only alerts in the queue can be snoozed (this one is {state.value})")
    if until <= now:
        raise TriageError("a snooze must end in the future")
    if until - now > limit:
        raise TriageError(
            f"snoozes are limited to {limit}; longer silence needs an exception",
            hint="Ask the risk owner for an exception (`cosec exceptions request`).",
        )


@dataclass(frozen=True)
class KnownAlert:
    """What de-duplication needs to know about the latest alert of a fingerprint."""

    id: int
    state: AlertState
    evidence_ids: frozenset[str]  # "source/id"


class ChangeKind(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REOPEN = "reopen"  # a suppressed alert whose exception lapsed
    SUPPRESS = "suppress"  # an open alert now covered by an exception
    IGNORE = "ignore"


@dataclass(frozen=True)
class AlertChange:
    kind: ChangeKind
    hit: Hit
    alert_id: int | None = None
    suppressed_by: str | None = None  # exception grant id


def evidence_ids(hit: Hit) -> frozenset[str]:
    return frozenset(f"{e.source}/{e.id}" for e in hit.evidence)


def grant_for(
    hit: Hit, rule_base_id: str, tenant: str, grants: Sequence[ExceptionGrant], now: datetime
) -> ExceptionGrant | None:
    """A valid exception grant that covers this hit (suppression goes only through these)."""
    for g in grants:
        if g.tenant != tenant or g.expires_at <= now:
            continue
        if g.control_id in (hit.rule_id, rule_base_id) and g.covers(hit.subject):
            return g
    return None


def plan(
    hits: Sequence[Hit],
    known: Mapping[str, KnownAlert],
    *,
    tenant: str,
    grants: Sequence[ExceptionGrant],
    now: datetime,
    base_ids: Mapping[str, str],
) -> list[AlertChange]:
    """Decide, per hit, whether to create, update, re-open, suppress or ignore."""
    changes: list[AlertChange] = []
    for hit in hits:
        grant = grant_for(hit, base_ids.get(hit.rule_id, hit.rule_id), tenant, grants, now)
        gid = grant.id if grant else None
        alert = known.get(hit.fingerprint)
        if alert is None:
            changes.append(AlertChange(ChangeKind.CREATE, hit, None, gid))
        elif alert.state is AlertState.SUPPRESSED:
            kind = ChangeKind.UPDATE if grant else ChangeKind.REOPEN
            changes.append(AlertChange(kind, hit, alert.id, gid))
        elif alert.state in CLOSED_STATES:
            if evidence_ids(hit) <= alert.evidence_ids:
                changes.append(AlertChange(ChangeKind.IGNORE, hit, alert.id))
            else:
                changes.append(AlertChange(ChangeKind.CREATE, hit, None, gid))
        elif grant is not None and alert.state in QUEUE_STATES:
            changes.append(AlertChange(ChangeKind.SUPPRESS, hit, alert.id, gid))
        else:
            changes.append(AlertChange(ChangeKind.UPDATE, hit, alert.id))
    return changes
