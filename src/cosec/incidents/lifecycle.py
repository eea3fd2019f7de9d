"""Incident status: open → contained → eradicated → recovered → closed, forward only.

Containment is a checklist from the incident type ("contained" means every item is
checked off); an incident cannot be marked contained, or anything after it, before that.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from cosec.errors import CosecError


class IncidentError(CosecError):
    hint = "See `cosec incidents show ID` for the incident's status and checklist."


class IncidentStatus(StrEnum):
    OPEN = "open"
    CONTAINED = "contained"
    ERADICATED = "eradicated"
    RECOVERED = "recovered"
    CLOSED = "closed"


ORDER = tuple(IncidentStatus)


def advance(
    current: IncidentStatus, target: IncidentStatus, checklist_done: Sequence[bool]
) -> IncidentStatus:
    """Validate a status change; return the new status or raise IncidentError."""
    if ORDER.index(target) <= ORDER.index(current):
        raise IncidentError(f"incident is {current.value}; cannot move back or stay at {target}")
    if target is not IncidentStatus.CLOSED or current is not IncidentStatus.OPEN:
        open_items = sum(1 for done in checklist_done if not done)
        if open_items:
            raise IncidentError(
                f"cannot mark {target.value}: {open_items} containment item(s) not checked off",
                hint="Check items off with `cosec incidents contain ID ITEM`.",
            )
    return target
