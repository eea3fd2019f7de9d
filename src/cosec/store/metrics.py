"""Stored metric values per tenant and period, and records of reviews held."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cosec.metrics.values import MetricValue
from cosec.store import audit
from cosec.store.tables.metrics import MetricValueRow, ReviewRow

REVIEW_KINDS = ("monthly", "quarterly")
# How governance controls name each review cadence (`AssessmentContext.review_cadence`).
CADENCE_KEYS = {"monthly": "monthly_operational", "quarterly": "quarterly_executive"}


def save_metric_values(
    session: Session, tenant: str, values: Iterable[MetricValue], *, computed_at: datetime
) -> int:
    """Store values, replacing any earlier computation of the same metric and period."""
    values = list(values)
    for period in {v.period for v in values}:
        session.execute(
            delete(MetricValueRow).where(
                MetricValueRow.tenant == tenant,
                MetricValueRow.period == period,
                MetricValueRow.key.in_([v.key for v in values if v.period == period]),
            )
        )
    session.add_all(
        MetricValueRow(
            tenant=tenant,
            key=v.key,
            period=v.period,
            value=v.value,
            rag=v.rag.value,
            data=v.to_json(),
            computed_at=computed_at,
        )
        for v in values
    )
    session.flush()
    return len(values)


def metric_values(
    session: Session, tenant: str, periods: Iterable[str], keys: Iterable[str] | None = None
) -> list[MetricValue]:
    """Stored values of `tenant` for the given period labels (and keys), by period, key."""
    query = select(MetricValueRow).where(
        MetricValueRow.tenant == tenant, MetricValueRow.period.in_(list(periods))
    )
    if keys is not None:
        query = query.where(MetricValueRow.key.in_(list(keys)))
    rows = session.scalars(query.order_by(MetricValueRow.period, MetricValueRow.key))
    return [MetricValue.from_json(r.data) for r in rows]


@dataclass(frozen=True)
class Review:
    tenant: str
    kind: str
    period: str
    held_at: datetime
    recorded_by: str
    attendees: tuple[str, ...]
    report_digest: str | None
    notes: str


def record_review(
    session: Session,
    *,
    tenant: str,
    kind: str,
    period: str,
    held_at: datetime,
    recorded_by: str,
    party: str,
    recorded_at: datetime,
    attendees: Iterable[str] = (),
    report_digest: str | None = None,
    notes: str = "",
) -> Review:
    """Record (and audit) that a review was held; again for the same period replaces it."""
    people = list(attendees)
    if kind not in REVIEW_KINDS:
        raise ValueError(f"review kind must be one of {', '.join(REVIEW_KINDS)}")
    session.execute(
        delete(ReviewRow).where(
            ReviewRow.tenant == tenant, ReviewRow.kind == kind, ReviewRow.period == period
        )
    )
    row = ReviewRow(
        tenant=tenant,
        kind=kind,
        period=period,
        held_at=held_at,
        recorded_by=recorded_by,
        attendees=people,
        report_digest=report_digest,
        notes=notes,
    )
    session.add(row)
    audit.append(
        session,
        at=recorded_at,
        actor=recorded_by,
        party=party,
        action="review.held",
        subject=f"{kind}:{period}",
        tenant=tenant,
        after={"held_at": held_at.isoformat(), "attendees": people},
        note=notes,
    )
    session.flush()
    return _review(row)


def _review(r: ReviewRow) -> Review:
    return Review(
        r.tenant,
        r.kind,
        r.period,
        r.held_at,
        r.recorded_by,
        tuple(r.attendees),
        r.report_digest,
        r.notes,
    )


def reviews(session: Session, tenant: str) -> list[Review]:
    rows = session.scalars(
        select(ReviewRow).where(ReviewRow.tenant == tenant).order_by(ReviewRow.held_at)
    )
    return [_review(r) for r in rows]


def last_reviews_held(session: Session, tenant: str) -> dict[str, datetime | None]:
    """Cadence key → when the last such review was held (`GovernanceFacts.reviews_held`)."""
    held: dict[str, datetime | None] = dict.fromkeys(CADENCE_KEYS.values())
    for r in reviews(session, tenant):
        key = CADENCE_KEYS[r.kind]
        current = held[key]
        if current is None or r.held_at > current:
            held[key] = r.held_at
    return held
