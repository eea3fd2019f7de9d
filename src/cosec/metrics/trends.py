"""Trends across periods, in numbers and in plain language for executives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cosec.metrics.definitions import definition
from cosec.metrics.values import MetricValue


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STEADY = "steady"
    CHANGED = "changed"  # moved, where better or worse has no meaning (see `directional`)
    UNKNOWN = "unknown"  # fewer than two periods with data


@dataclass(frozen=True)
class Trend:
    key: str
    points: tuple[tuple[str, float | None], ...]  # (period label, value), oldest first
    change: float | None  # latest minus the previous period with data
    direction: Direction
    sentence: str


def _steady_band(unit: str, reference: float) -> float:
    """Changes smaller than this read as steady (1 point for %, else 5% of the value)."""
    return 1.0 if unit == "%" else max(abs(reference) * 0.05, 0.5)


def trend(history: Sequence[MetricValue]) -> Trend:
    """Trend of one metric over consecutive periods (oldest first, last = current).

    Two values whose breakdowns name different sources (e.g. Defender incidents in one
    quarter, cosec-declared ones in the next) measure different things: no trend.
    """
    if not history:
        raise ValueError("a trend needs at least one period")
    latest = history[-1]
    d = definition(latest.key)
    points = tuple((v.period, v.value) for v in history)
    known = [v for v in history if v.value is not None]
    if latest.value is None or len(known) < 2:
        reason = latest.reason if latest.value is None else "only one period has data"
        sentence = f"{d.title}: no trend yet ({reason})."
        return Trend(latest.key, points, None, Direction.UNKNOWN, sentence)
    previous = known[-2]
    assert previous.value is not None
    was, now = previous.breakdown.get("source"), latest.breakdown.get("source")
    if was and now and was != now:
        sentence = (
            f"{d.title}: no trend — {previous.period} measured {'; '.join(was)}, "
            f"{latest.period} measured {'; '.join(now)}."
        )
        return Trend(latest.key, points, None, Direction.UNKNOWN, sentence)
    change = latest.value - previous.value
    if abs(change) < _steady_band(d.unit, previous.value):
        direction = Direction.STEADY
    elif not d.directional:
        direction = Direction.CHANGED
    elif (change > 0) == d.higher_is_better:
        direction = Direction.IMPROVING
    else:
        direction = Direction.WORSENING
    unit = " points" if d.unit == "%" else ("" if d.unit == "count" else f" {d.unit}")
    verb = {
        "improving": "improved",
        "worsening": "worsened",
        "steady": "held steady",
        "changed": "rose" if change > 0 else "fell",
    }[direction]
    size = f"{abs(change):.0f}" if d.unit == "count" else f"{abs(change):.1f}"
    amount = f" by {size}{unit}" if direction is not Direction.STEADY else ""
    sentence = (
        f"{d.title} {verb}{amount}: {previous.display()} in {previous.period}, "
        f"{latest.display()} in {latest.period}."
    )
    return Trend(latest.key, points, round(change, 2), direction, sentence)
