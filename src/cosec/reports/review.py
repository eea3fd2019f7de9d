"""Assemble a monthly or quarterly `Review` from its parts (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cosec.metrics.facts import AlertFact, ChangeStats, IncidentFact, Missing
from cosec.metrics.periods import Period
from cosec.metrics.values import MetricValue
from cosec.reports.content import (
    ChangeLine,
    ExceptionRow,
    FindingRow,
    Review,
    alert_summary,
    csf_summary,
    exceptions_due,
    headline,
    rank_risks,
    roadmap,
    trends_for,
)

KINDS = ("monthly", "quarterly")


def build_review(
    kind: str,
    *,
    tenant: str,
    tenant_name: str,
    organisation: str,
    partner: str,
    period: Period,
    generated_at: datetime,
    history: Sequence[MetricValue],
    findings: Sequence[FindingRow] | Missing,
    previous_findings: Sequence[FindingRow] = (),
    exceptions: Sequence[ExceptionRow] | Missing = Missing("exception register not read"),
    changes: ChangeStats | Missing = Missing("change records not read"),
    alerts: Sequence[AlertFact] | Missing = Missing("alerts not read"),
    incidents: Sequence[IncidentFact] = (),
    change_lines: Sequence[ChangeLine] = (),
) -> Review:
    """`history` holds metric values of this period and the ones before (for trends)."""
    if kind not in KINDS:
        raise ValueError(f"review kind must be monthly or quarterly, got {kind!r}")
    current = [v for v in history if v.period == period.label]
    found = list(findings) if not isinstance(findings, Missing) else findings
    review = Review(
        kind=kind,
        tenant=tenant,
        tenant_name=tenant_name,
        organisation=organisation,
        partner=partner,
        period=period,
        generated_at=generated_at,
        metrics=current,
        trends=trends_for(history),
        findings=found,
        risks=[] if isinstance(found, Missing) else rank_risks(found, previous_findings),
        exceptions_due=exceptions
        if isinstance(exceptions, Missing)
        else exceptions_due(exceptions, period.end),
        changes=changes,
        alerts=alerts if isinstance(alerts, Missing) else alert_summary(period, alerts, incidents),
    )
    review.change_lines = sorted(change_lines, key=lambda c: c.at)
    if kind == "quarterly" and not isinstance(found, Missing):
        review.csf = csf_summary(found)
        review.roadmap = roadmap(found)
    review.headline = headline(review)
    return review
