"""The exception register's rules: lifecycle, separation of duties, expiry, reminders.

Lifecycle::

    proposed ──approve──► approved ──(expires_at passes)──► expired
        │                    └──revoke──► revoked
        └──reject──► rejected

Only an internal-party risk owner approves, never their own request. Every exception
expires, no later than the maximum duration for the control's severity. A renewal is a
new proposal linked to the old one (its `renewal_count` and `origin_at` carry over), so
a risk is never extended silently. Validity is computed as of `now`: an approved
exception whose expiry has passed is expired even before the scheduled job marks it.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cosec.config import ExceptionPolicy, Party, Person, Role, Severity
from cosec.governance.decisions import Refused, require
from cosec.model.governance import ExceptionGrant

PERMANENT_AGE = timedelta(days=365)
EXPIRING_SOON = timedelta(days=30)


class ExceptionState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ReviewNote:
    at: datetime
    by: str
    note: str


@dataclass(frozen=True)
class ExceptionRecord:
    id: str
    tenant: str
    control_id: str
    severity: Severity
    scope: tuple[str, ...]
    justification: str
    compensating_controls: str
    requester: str
    requester_party: str
    risk_owner: str | None
    approver: str | None
    state: ExceptionState
    proposed_at: datetime
    decided_at: datetime | None
    expires_at: datetime
    origin_at: datetime
    renewal_of: str | None = None
    renewal_count: int = 0
    review_notes: tuple[ReviewNote, ...] = ()

    def state_at(self, now: datetime) -> ExceptionState:
        """The state as of `now`: an approved exception past its expiry is expired."""
        if self.state is ExceptionState.APPROVED and self.expires_at <= now:
            return ExceptionState.EXPIRED
        return self.state

    def is_valid(self, now: datetime) -> bool:
        return self.state_at(now) is ExceptionState.APPROVED

    def grant(self) -> ExceptionGrant:
        return ExceptionGrant(
            id=self.id,
            control_id=self.control_id,
            tenant=self.tenant,
            scope=frozenset(self.scope),
            expires_at=self.expires_at,
            risk_owner=self.risk_owner or self.approver or "",
        )

    def summary(self) -> dict[str, object]:
        """The fields an audit entry records as before/after."""
        return {
            "state": self.state.value,
            "control": self.control_id,
            "scope": list(self.scope),
            "expires_at": self.expires_at.isoformat(),
            "approver": self.approver,
            "renewal_of": self.renewal_of,
            "renewal_count": self.renewal_count,
        }


@dataclass(frozen=True)
class Refusal:
    """A refused proposal kept in the register (e.g. an attempt without an end date)."""

    tenant: str
    control_id: str
    actor: str
    party: str
    at: datetime
    kind: str
    reason: str


# --- intake --------------------------------------------------------------------------


def check_expiry(
    expires_at: datetime | None, *, now: datetime, severity: Severity, policy: ExceptionPolicy
) -> datetime:
    """Refuse a missing, past, or too distant expiry; return the accepted expiry."""
    limit = policy.max_duration[severity]
    if expires_at is None:
        raise Refused(
            "no_expiry",
            "an exception must expire: give an expiry date "
            f"(at most {limit.days} days for a {severity.value} control)",
            hint="Pass --expires DATE or --for DURATION.",
        )
    if expires_at <= now:
        raise Refused("past_expiry", f"the expiry {expires_at:%Y-%m-%d %H:%M} is in the past")
    if expires_at - now > limit:
        latest = now + limit
        raise Refused(
            "too_long",
            f"a {severity.value} control may be excepted for at most {limit.days} days "
            f"(until {latest:%Y-%m-%d}); asked until {expires_at:%Y-%m-%d}",
            hint="Choose an earlier expiry; if the risk remains, renew it then.",
        )
    return expires_at


def check_proposal(
    *, scope: Collection[str], justification: str, compensating_controls: str
) -> None:
    if not justification.strip():
        raise Refused("no_justification", "an exception needs a justification")
    if any(not s.strip() for s in scope):
        raise Refused("bad_scope", "scope entries must be object ids, not blanks")
    if not compensating_controls.strip():
        raise Refused(
            "no_compensating_controls",
            "name the compensating controls (or 'none' with the reason in the justification)",
        )


def check_renewal(previous: ExceptionRecord, now: datetime) -> None:
    if previous.state_at(now) not in (ExceptionState.APPROVED, ExceptionState.EXPIRED):
        raise Refused(
            "state",
            f"{previous.id} is {previous.state_at(now).value}; only an approved or expired "
            "exception can be renewed",
        )


# --- decisions -------------------------------------------------------------------------


def _require_proposed(record: ExceptionRecord, action: str) -> None:
    if record.state is not ExceptionState.PROPOSED:
        raise Refused("state", f"{record.id} is {record.state.value}; cannot {action} it")


def check_approval(record: ExceptionRecord, approver: Person) -> None:
    """Separation of duties: an internal risk owner who did not request it."""
    _require_proposed(record, "approve")
    require(approver, Role.RISK_OWNER, party=Party.INTERNAL, action="approve exceptions")
    if approver.id == record.requester:
        raise Refused(
            "self_approval",
            f"{approver.id} requested {record.id} and may not approve their own request",
            hint="Another internal risk owner must approve it.",
        )


def check_rejection(record: ExceptionRecord, person: Person) -> None:
    _require_proposed(record, "reject")
    require(person, Role.RISK_OWNER, party=Party.INTERNAL, action="reject exceptions")


def check_revocation(record: ExceptionRecord, person: Person, now: datetime) -> None:
    if record.state_at(now) not in (ExceptionState.PROPOSED, ExceptionState.APPROVED):
        raise Refused("state", f"{record.id} is {record.state_at(now).value}; cannot revoke it")
    require(person, Role.RISK_OWNER, party=Party.INTERNAL, action="revoke exceptions")


# --- time-driven -----------------------------------------------------------------------


def valid_grants(records: Iterable[ExceptionRecord], now: datetime) -> list[ExceptionGrant]:
    return [r.grant() for r in records if r.is_valid(now)]


def due_for_expiry(records: Iterable[ExceptionRecord], now: datetime) -> list[ExceptionRecord]:
    """Approved records whose expiry has passed but are not yet marked expired."""
    return [r for r in records if r.state is ExceptionState.APPROVED and r.expires_at <= now]


def reminder_due(
    record: ExceptionRecord,
    now: datetime,
    reminders: Iterable[timedelta],
    sent: Collection[timedelta],
) -> timedelta | None:
    """The reminder to send now, if any: the nearest offset reached and not yet covered.

    A later (shorter) reminder already sent covers every earlier one, so a job that did
    not run for a while sends one reminder, not a burst.
    """
    if not record.is_valid(now):
        return None
    left = record.expires_at - now
    reached = sorted(r for r in reminders if left <= r)
    if not reached:
        return None
    nearest = reached[0]
    if any(s <= nearest for s in sent):
        return None
    return nearest


def is_permanent(record: ExceptionRecord, policy: ExceptionPolicy, now: datetime) -> bool:
    """Renewed more than allowed, or a risk accepted for over a year overall."""
    if record.state_at(now) not in (ExceptionState.PROPOSED, ExceptionState.APPROVED):
        return False
    return record.renewal_count > policy.max_renewals or now - record.origin_at > PERMANENT_AGE


def relied_on_after_expiry(
    records: Iterable[ExceptionRecord], exposed: Collection[str], now: datetime
) -> list[str]:
    """Expired exceptions whose objects are still exposed and not covered by a successor."""
    recs = list(records)
    covered = {obj for r in recs if r.is_valid(now) for obj in r.scope}
    out = []
    for r in recs:
        if r.state_at(now) is not ExceptionState.EXPIRED:
            continue
        if any(
            (obj in exposed or obj.lower() in exposed) and obj not in covered for obj in r.scope
        ):
            out.append(r.id)
    return out


# --- review metrics ----------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterStats:
    """Figures for the operational review, over a period [start, end) and as of now."""

    pending: int
    decided_in_period: int
    approved_in_period: int
    rejected_in_period: int
    median_time_to_decision: timedelta | None
    valid: int
    expiring_soon: int
    expired_in_period: int
    expired_still_relied_on: int
    permanent: int
    never_expiring_refused: int
    refusals_in_period: int


def register_stats(
    records: Iterable[ExceptionRecord],
    refusals: Iterable[Refusal],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    policy: ExceptionPolicy,
    exposed: Collection[str] = (),
) -> RegisterStats:
    recs = list(records)
    refused = [r for r in refusals if start <= r.at < end]
    decided = [r for r in recs if r.decided_at is not None and start <= r.decided_at < end]
    waits = [(r.decided_at - r.proposed_at).total_seconds() for r in decided if r.decided_at]
    return RegisterStats(
        pending=sum(r.state is ExceptionState.PROPOSED for r in recs),
        decided_in_period=len(decided),
        approved_in_period=sum(r.approver is not None for r in decided),
        rejected_in_period=sum(r.state is ExceptionState.REJECTED for r in decided),
        median_time_to_decision=(timedelta(seconds=statistics.median(waits)) if waits else None),
        valid=sum(r.is_valid(now) for r in recs),
        expiring_soon=sum(r.is_valid(now) and r.expires_at - now <= EXPIRING_SOON for r in recs),
        expired_in_period=sum(
            r.state_at(now) is ExceptionState.EXPIRED and start <= r.expires_at < end for r in recs
        ),
        expired_still_relied_on=len(relied_on_after_expiry(recs, exposed, now)),
        permanent=sum(is_permanent(r, policy, now) for r in recs),
        never_expiring_refused=sum(r.kind in ("no_expiry", "too_long") for r in refused),
        refusals_in_period=len(refused),
    )
