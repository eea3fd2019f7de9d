"""Triage SLA clocks: start at the event time, stop at the triage decision, and pause
only for explicit, recorded reasons (e.g. waiting on the client)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# The only reasons an SLA clock may pause: the next step is outside the owner's hands.
PAUSE_REASONS = ("waiting_on_client", "waiting_on_vendor", "awaiting_information")


def check_pause_reason(reason: str) -> None:
    if reason not in PAUSE_REASONS:
        raise ValueError(
            f"an SLA clock pauses only for {', '.join(PAUSE_REASONS)}; not for {reason!r}"
        )


@dataclass(frozen=True)
class Pause:
    started_at: datetime
    ended_at: datetime | None
    reason: str


@dataclass(frozen=True)
class SlaStatus:
    window: timedelta
    due_at: datetime  # with pauses so far
    elapsed: timedelta  # running time, pauses excluded
    breached: bool
    paused: bool
    stopped: bool

    @property
    def remaining(self) -> timedelta:
        return self.window - self.elapsed


def paused_time(pauses: Sequence[Pause], until: datetime) -> timedelta:
    total = timedelta(0)
    for p in pauses:
        end = min(p.ended_at or until, until)
        if end > p.started_at:
            total += end - p.started_at
    return total


def clock(
    *,
    started_at: datetime,
    window: timedelta,
    pauses: Sequence[Pause] = (),
    stopped_at: datetime | None = None,
    now: datetime,
) -> SlaStatus:
    """The state of one SLA clock at `now` (or when it stopped)."""
    end = stopped_at or now
    paused = paused_time(pauses, end)
    elapsed = max(timedelta(0), end - started_at - paused)
    open_pause = stopped_at is None and any(p.ended_at is None for p in pauses)
    return SlaStatus(
        window=window,
        due_at=started_at + window + paused,
        elapsed=elapsed,
        breached=elapsed > window,
        paused=open_pause,
        stopped=stopped_at is not None,
    )
