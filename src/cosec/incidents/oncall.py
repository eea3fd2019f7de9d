"""Who is on call now: the roster per party, in and outside business hours."""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from cosec.config import Organisation, Party, Person, Role, Workspace


def in_business_hours(org: Organisation, at: datetime) -> bool:
    """Weekdays within `business_hours`, in the organisation's timezone."""
    local = at.astimezone(ZoneInfo(org.timezone))
    start_s, end_s = org.business_hours.split("-")
    start, end = time.fromisoformat(start_s), time.fromisoformat(end_s)
    return local.weekday() < 5 and start <= local.time().replace(tzinfo=None) < end


def on_call(workspace: Workspace, at: datetime) -> dict[str, tuple[Person, ...]]:
    """Per party, the people on call at `at` (falling back to holders of `on_call`)."""
    roster = workspace.incident_response.on_call
    hours = in_business_hours(workspace.organisation, at)
    table = roster.business_hours if hours else roster.after_hours
    out: dict[str, tuple[Person, ...]] = {}
    parties: tuple[Literal["internal", "partner"], ...] = ("internal", "partner")
    for party in parties:
        ids = table.get(party)
        if ids:
            out[party] = tuple(workspace.person(i) for i in ids)
        else:
            out[party] = tuple(workspace.people_with(Role.ON_CALL, party=Party(party)))
    return out


def is_on_call(workspace: Workspace, person: Person, at: datetime) -> bool:
    return any(p.id == person.id for people in on_call(workspace, at).values() for p in people)
