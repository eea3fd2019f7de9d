from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cosec.model.derived.alert_sla import clock_start, triaged_within_sla

T = datetime(2026, 9, 3, 8, tzinfo=UTC)
H = timedelta(hours=1)


def test_clock_starts_at_the_event_and_pauses_do_not_count() -> None:
    assert clock_start(T, T + 5 * H) == T
    assert clock_start(None, T + 5 * H) == T + 5 * H

    def within(triaged: float | None, paused: float = 0, as_of: float = 100) -> bool | None:
        return triaged_within_sla(
            event_at=T,
            detected_at=T + 3 * H,
            triaged_at=None if triaged is None else T + triaged * H,
            window=4 * H,
            as_of=T + as_of * H,
            paused=paused * H,
        )

    assert within(4) is True
    assert within(5) is False  # 2 h after detection, but 5 h after the event
    assert within(5, paused=2) is True  # waiting on the client for 2 h
    assert within(None, as_of=3) is None  # undecided, still inside its window
    assert within(None, as_of=6) is False
    assert (
        triaged_within_sla(event_at=T, detected_at=T, triaged_at=None, window=None, as_of=T) is None
    )
