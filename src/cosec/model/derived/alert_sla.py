"""The alert triage SLA, decided once for the metrics, the reviews and the CLI.

The clock starts at the *event* — the risky sign-in, the user's report, the first
malicious activity — not at detection: a condition found late has already used its
window. Detection time stands in only when the event time is unknown. The clock stops
at the triage decision (dismissed, resolved or escalated — as the triage queue's clock
does) and does not run while it is paused for a recorded reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def clock_start(event_at: datetime | None, detected_at: datetime) -> datetime:
    return event_at or detected_at


def triaged_within_sla(
    *,
    event_at: datetime | None,
    detected_at: datetime,
    triaged_at: datetime | None,
    window: timedelta | None,
    as_of: datetime,
    paused: timedelta = timedelta(0),
) -> bool | None:
    """True/False once decided; None without an SLA, or undecided and still inside it.

    `paused` is the time the clock stood still until the decision (or `as_of`).
    """
    if window is None:
        return None
    start = clock_start(event_at, detected_at)
    if triaged_at is not None:
        return triaged_at - start - paused <= window
    return None if as_of - start - paused <= window else False
