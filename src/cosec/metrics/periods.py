"""Reporting periods: a day, an ISO week, a calendar month or a quarter, in UTC.

A period is half-open: it contains instants `start <= t < end`. Labels are the ones the
CLI accepts: `2026-10-05`, `2026-W41`, `2026-10`, `2026-Q3`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class PeriodError(ValueError):
    """A period label that cannot be parsed."""


@dataclass(frozen=True, order=True)
class Period:
    start: datetime
    end: datetime
    kind: PeriodKind

    @property
    def label(self) -> str:
        d = self.start.date()
        if self.kind is PeriodKind.DAY:
            return d.isoformat()
        if self.kind is PeriodKind.WEEK:
            year, week, _ = d.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{d.year}-{d.month:02d}"
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"

    @property
    def title(self) -> str:
        """Human wording for reports: 'October 2026', 'Q3 2026'."""
        d = self.start.date()
        if self.kind is PeriodKind.MONTH:
            return d.strftime("%B %Y")
        if self.kind is PeriodKind.QUARTER:
            return f"Q{(d.month - 1) // 3 + 1} {d.year}"
        if self.kind is PeriodKind.WEEK:
            return f"week {self.label[-2:]} of {self.label[:4]}"
        return d.strftime("%d %B %Y")

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def previous(self) -> Period:
        return containing(self.kind, self.start - timedelta(days=1))

    def following(self) -> Period:
        return containing(self.kind, self.end)

    def history(self, count: int) -> list[Period]:
        """This period and the `count - 1` before it, oldest first."""
        out = [self]
        while len(out) < count:
            out.append(out[-1].previous())
        return list(reversed(out))

    def subperiods(self, kind: PeriodKind) -> list[Period]:
        """The periods of `kind` that start inside this one (e.g. the months of a quarter)."""
        out: list[Period] = []
        current = containing(kind, self.start)
        while current.start < self.end:
            if current.start >= self.start:
                out.append(current)
            current = current.following()
        return out


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _month_start(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def containing(kind: PeriodKind, instant: datetime | date) -> Period:
    """The period of `kind` that contains `instant` (UTC)."""
    d = instant.astimezone(UTC).date() if isinstance(instant, datetime) else instant
    if kind is PeriodKind.DAY:
        start, end = d, d + timedelta(days=1)
    elif kind is PeriodKind.WEEK:
        start = d - timedelta(days=d.weekday())
        end = start + timedelta(days=7)
    elif kind is PeriodKind.MONTH:
        start = date(d.year, d.month, 1)
        end = _month_start(d.year, d.month + 1)
    else:
        first = (d.month - 1) // 3 * 3 + 1
        start = date(d.year, first, 1)
        end = _month_start(d.year, first + 3)
    return Period(_midnight(start), _midnight(end), kind)


_PATTERNS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), PeriodKind.DAY),
    (re.compile(r"^(\d{4})-W(\d{2})$"), PeriodKind.WEEK),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.MONTH),
)


def parse_period(label: str) -> Period:
    """Parse `2026-10-05`, `2026-W41`, `2026-10` or `2026-Q3`."""
    text = label.strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        nums = [int(g) for g in match.groups()]
        try:
            if kind is PeriodKind.DAY:
                return containing(kind, date(nums[0], nums[1], nums[2]))
            if kind is PeriodKind.WEEK:
                return containing(kind, date.fromisocalendar(nums[0], nums[1], 1))
            if kind is PeriodKind.MONTH:
                return containing(kind, date(nums[0], nums[1], 1))
            return containing(kind, date(nums[0], (nums[1] - 1) * 3 + 1, 1))
        except ValueError:
            break
    raise PeriodError(f"not a period: {label!r} (use 2026-10-05, 2026-W41, 2026-10 or 2026-Q3)")
