"""Assemble a monthly or quarterly `Review` from its parts (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cosec.metrics.facts import AlertFact, ChangeStats, IncidentFact, Missing
from cosec.metrics.periods import Period
from cosec.metrics.values import MetricValue
from cosec.reports.activity import Decisions, IncidentSummary
from cosec.reports.content import (
    ChangeLine,
    ExceptionRow,
    FindingRow,
    Review,
    alert_summary,
    change_candidates,
    csf_summary,
    exceptions_due,
    finding_candidates,
    headline,
    relied_on_candidates,
    roadmap,
    trends_for,
)
from cosec.reports.freshness import Freshness
from cosec.reports.names import Directory
from cosec.reports.risks import rank

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
    names: Directory | None = None,
    incident_summaries: Sequence[IncidentSummary] = (),
    decisions: Decisions | None = None,
    freshness: Freshness | None = None,
    commentary: str = "",
    logo: str = "",
    risk_owner: str = "IT lead (internal)",
) -> Review:
    """`history` holds metric values of this period and the ones before (for trends)."""
    if kind not in KINDS:
        raise ValueError(f"review kind must be monthly or quarterly, got {kind!r}")
    current = [v for v in history if v.period == period.label]
    found = list(findings) if not isinstance(findings, Missing) else findings
    names = names or Directory()
    candidates = (
        [] if isinstance(found, Missing) else finding_candidates(found, previous_findings, names)
    )
    if decisions is not None:
        candidates += change_candidates(decisions.pending_changes, risk_owner)
        candidates += relied_on_candidates(decisions.relied_on, risk_owner)
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
        risks=rank(candidates, names),
        exceptions_due=exceptions
        if isinstance(exceptions, Missing)
        else exceptions_due(exceptions, period.end),
        changes=changes,
        alerts=alerts if isinstance(alerts, Missing) else alert_summary(period, alerts, incidents),
    )
    review.change_lines = sorted(change_lines, key=lambda c: c.at)
    review.names = names
    review.incidents = list(incident_summaries)
    review.decisions = decisions
    review.freshness = freshness
    review.commentary = commentary
    review.logo = logo
    if kind == "quarterly" and not isinstance(found, Missing):
        review.csf = csf_summary(found)
        review.roadmap = roadmap(found)
    review.headline = headline(review)
    return review
