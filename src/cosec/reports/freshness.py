"""How fresh a review's data is: when the tenant was last assessed, whether the period is
still running, and which of its months have no snapshot. A review with missing data, or
of a period still in progress, is a draft and says so on its cover and first page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cosec.metrics.periods import Period, PeriodKind, parse_period
from cosec.store.assessments import list_runs
from cosec.store.snapshots import list_snapshots


@dataclass(frozen=True)
class Freshness:
    assessed_at: datetime | None  # the assessment the review's findings come from
    snapshot_at: datetime | None  # the last collection inside the period
    data_until: datetime  # end of the period, or now for a period still running
    partial: bool
    months_without_data: tuple[str, ...]  # e.g. ("2026-08",)

    @property
    def draft(self) -> bool:
        return self.partial or bool(self.months_without_data) or self.assessed_at is None

    def warnings(self) -> list[str]:
        out = []
        if self.partial:
            out.append(
                f"The period is still in progress: figures cover it up to "
                f"{self.data_until:%d %b %Y %H:%M} UTC."
            )
        if self.months_without_data:
            months = ", ".join(self.months_without_data)
            out.append(f"No data was collected in {months}; figures for it are missing.")
        if self.assessed_at is None:
            out.append("The tenant was not assessed before the end of the period.")
        return out


def _months(period: Period) -> list[Period]:
    if period.kind is PeriodKind.MONTH:
        return [period]
    first = period.start
    return [parse_period(f"{first.year}-{first.month + i:02d}") for i in range(3)]


def freshness(session: Session, tenant: str, period: Period, now: datetime) -> Freshness:
    until = min(now, period.end)
    taken = [i.taken_at for i in list_snapshots(session, tenant) if i.taken_at < until]
    runs = [at for _, at, _ in list_runs(session, tenant) if at < period.end and at <= now]
    in_period = [t for t in taken if t >= period.start]
    missing = tuple(
        m.label
        for m in _months(period)
        if m.start < until and not any(m.start <= t < m.end for t in taken)
    )
    return Freshness(
        assessed_at=max(runs) if runs else None,
        snapshot_at=max(in_period) if in_period else None,
        data_until=until,
        partial=now < period.end,
        months_without_data=missing,
    )
