from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosec.metrics.periods import PeriodError, PeriodKind, containing, parse_period


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026-10", datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-12", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q3", datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)),
        ("2026-q4", datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-W41", datetime(2026, 10, 5, tzinfo=UTC), datetime(2026, 10, 12, tzinfo=UTC)),
        ("2026-10-05", datetime(2026, 10, 5, tzinfo=UTC), datetime(2026, 10, 6, tzinfo=UTC)),
    ],
)
def test_parse_period_bounds_and_label_round_trip(
    label: str, start: datetime, end: datetime
) -> None:
    period = parse_period(label)
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.label) == period


@pytest.mark.parametrize("label", ["2026-13", "2026-Q5", "October", "2026-W60", ""])
def test_bad_labels_are_rejected_with_the_accepted_forms(label: str) -> None:
    with pytest.raises(PeriodError, match="2026-Q3"):
        parse_period(label)


def test_previous_history_and_subperiods() -> None:
    q = parse_period("2026-Q1")
    assert q.previous().label == "2025-Q4"
    assert [p.label for p in q.history(3)] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert [m.label for m in q.subperiods(PeriodKind.MONTH)] == ["2026-01", "2026-02", "2026-03"]
    assert parse_period("2026-03").previous().label == "2026-02"


def test_half_open_containment_and_titles() -> None:
    m = parse_period("2026-10")
    assert m.contains(datetime(2026, 10, 31, 23, 59, tzinfo=UTC))
    assert not m.contains(datetime(2026, 11, 1, tzinfo=UTC))
    assert containing(PeriodKind.QUARTER, datetime(2026, 11, 3, tzinfo=UTC)).label == "2026-Q4"
    assert m.title == "October 2026"
    assert parse_period("2026-Q3").title == "Q3 2026"
