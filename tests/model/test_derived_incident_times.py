from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cosec.model.derived.incident_times import (
    EntryKind,
    TimelineEntry,
    milestones,
    response_times,
)

T = datetime(2026, 9, 3, 8, tzinfo=UTC)
H = timedelta(hours=1)


def _e(hours: float, kind: EntryKind, status: str = "") -> TimelineEntry:
    return TimelineEntry(
        T + hours * H, kind, "sam", kind.value, {"status": status} if status else {}
    )


def test_times_run_from_the_first_detection_not_the_declaration() -> None:
    entries = [
        _e(0, EntryKind.EVENT),
        _e(2, EntryKind.DETECTION),
        _e(3, EntryKind.DETECTION),
        _e(4, EntryKind.TRIAGE),
        _e(6, EntryKind.DECLARATION),
        _e(9, EntryKind.STATUS, "contained"),
        _e(14, EntryKind.STATUS, "closed"),
    ]
    m = milestones(entries)
    assert (m.event_at, m.detected_at, m.detected_by) == (T, T + 2 * H, "alert")
    times = response_times(entries)
    assert times.time_to_detect == 2 * H
    assert times.time_to_acknowledge == 2 * H  # triage before declaration
    assert times.time_to_contain == 7 * H
    assert times.time_to_recover == 12 * H  # closed − first detection, not − declaration


def test_declaration_is_the_detection_when_no_alert_led_to_it() -> None:
    entries = [_e(1, EntryKind.DECLARATION), _e(5, EntryKind.STATUS, "recovered")]
    m = milestones(entries)
    assert (m.detected_at, m.detected_by, m.recovered_at) == (T + H, "declaration", T + 5 * H)
    assert response_times(entries).time_to_detect is None
