"""The review's count tables and the metrics below them compute each figure one way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cosec.metrics.compute import compute_metrics
from cosec.metrics.facts import AlertFact, MetricInputs
from cosec.metrics.periods import PeriodKind, containing
from cosec.reports.content import alert_summary

PERIOD = containing(PeriodKind.MONTH, datetime(2026, 9, 15, tzinfo=UTC))
H = timedelta(hours=1)


def _alert(n: int, event_hours_before: float, triage_after: float | None) -> AlertFact:
    detected = PERIOD.start + timedelta(days=n)
    return AlertFact(
        id=f"a{n}",
        category="other",
        severity="high",
        activity_at=detected - event_hours_before * H,
        created_at=detected,
        triaged_at=None if triage_after is None else detected + triage_after * H,
        resolved_at=None,
        triage_sla=4 * H,
    )


def test_alert_sla_counts_in_the_review_equal_the_metric() -> None:
    """Found late: triaged 1 h after detection but 5 h after the event is a breach."""
    alerts = (
        _alert(1, 0, 1),  # within
        _alert(2, 4, 1),  # detected 4 h after the event: breached
        _alert(3, 0.5, 3),  # within
        _alert(4, 10, None),  # untriaged, past its window from the event
    )
    summary = alert_summary(PERIOD, alerts, ())
    metric = {v.key: v for v in compute_metrics(MetricInputs("t", PERIOD, alerts=alerts), {})}[
        "alert_triage_within_sla"
    ]
    assert (summary.triaged_within_sla, summary.breached) == (2, 2)
    assert metric.numerator == summary.triaged_within_sla
    assert metric.denominator == summary.triaged_within_sla + summary.breached
