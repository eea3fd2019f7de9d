"""Change control: planned, approved changes and which observed differences they cover.

A change record names the objects it will touch ("resource/object id") and a planned
window. States: open → approved → closed. A difference to the baseline is covered when
an approved change names its object and the time the difference was made (from the
directory audit log, else the interval between the baseline observation and the
snapshot) meets the window. Anything else is unapproved drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cosec.config import Person, Role
from cosec.governance.decisions import Refused, require
from cosec.governance.drift import TRACKED


class ChangeState(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    CLOSED = "closed"


@dataclass(frozen=True)
class ChangeRecord:
    id: str
    tenant: str
    title: str
    objects: tuple[str, ...]
    window_start: datetime
    window_end: datetime
    requester: str
    requester_party: str
    approver: str | None
    approved_at: datetime | None
    state: ChangeState
    opened_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None

    def covers(self, object_key: str, made_from: datetime | None, made_until: datetime) -> bool:
        """Whether an approved change covers a difference made within [from, until]."""
        if self.state is not ChangeState.APPROVED or object_key not in self.objects:
            return False
        start = made_from or made_until
        return start <= self.window_end and made_until >= self.window_start

    def summary(self) -> dict[str, object]:
        return {
            "state": self.state.value,
            "title": self.title,
            "objects": list(self.objects),
            "window": [self.window_start.isoformat(), self.window_end.isoformat()],
            "approver": self.approver,
        }


def check_objects(objects: Iterable[str]) -> tuple[str, ...]:
    """Object keys must be "resource/id" of a tracked resource."""
    keys = tuple(dict.fromkeys(o.strip() for o in objects))
    if not keys:
        raise Refused("no_objects", "a change must name the objects it touches (--object)")
    for key in keys:
        resource, _, oid = key.partition("/")
        if resource not in TRACKED or not oid:
            raise Refused(
                "bad_object",
                f"{key!r} is not RESOURCE/OBJECT-ID of tracked configuration "
                f"({', '.join(TRACKED)})",
            )
    return keys


def check_window(start: datetime, end: datetime) -> None:
    if end <= start:
        raise Refused("bad_window", "the change window must end after it starts")


def check_change_approval(change: ChangeRecord, person: Person) -> None:
    if change.state is not ChangeState.OPEN:
        raise Refused("state", f"{change.id} is {change.state.value}; cannot approve it")
    require(person, Role.CHANGE_APPROVER, action="approve changes")
    if person.id == change.requester:
        raise Refused(
            "self_approval",
            f"{person.id} requested {change.id} and may not approve it",
            hint="Another change approver must approve it.",
        )


def check_close(change: ChangeRecord, person: Person) -> None:
    if change.state is not ChangeState.APPROVED:
        raise Refused(
            "state", f"{change.id} is {change.state.value}; only an approved change closes"
        )
    if person.id != change.requester and not person.has_role(Role.CHANGE_APPROVER):
        raise Refused(
            "role", f"{person.id} may not close {change.id}: requester or change_approver only"
        )


def check_drift_acceptance(person: Person) -> None:
    require(person, Role.CHANGE_APPROVER, action="accept drift into the baseline")


def check_baseline_adoption(person: Person, new_resources: Iterable[str]) -> None:
    """Adopting is a change approver's decision, and only for resources not yet baselined."""
    require(person, Role.CHANGE_APPROVER, action="adopt a baseline")
    if not list(new_resources):
        raise Refused(
            "baseline_exists",
            "every readable tracked resource already has an approved baseline; accept "
            "drift or close changes to move it (re-adopting would hide unapproved drift)",
        )
