"""What the reviews say, built from metrics, findings, exceptions and alerts (pure).

Ranking of the top risks: severity weight × scope (objects affected) × trend (new or
growing findings rank higher than ones already shrinking). The CSF 2.0 function summary
rolls control results up by the function prefix of each control's subcategory ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cosec.metrics.compute import within_sla
from cosec.metrics.facts import AlertFact, ChangeStats, IncidentFact, Missing
from cosec.metrics.periods import Period
from cosec.metrics.rag import Rag
from cosec.metrics.trends import Trend, trend
from cosec.metrics.values import MetricValue
from cosec.model.derived.csf import ControlResult, csf_rollup
from cosec.reports.activity import DecisionLine, Decisions, IncidentSummary, PendingChange
from cosec.reports.freshness import Freshness
from cosec.reports.names import Directory
from cosec.reports.risks import Risk, RiskCandidate, risk_title


def target_text(m: MetricValue) -> str:
    """The target with its unit: '95 %', '4 h', '0 devices'."""
    if m.target is None:
        return "—"
    unit = m.unit.strip()
    if unit == "%":
        return f"{m.target:g} %"
    return f"{m.target:g} {unit}" if unit else f"{m.target:g}"


SEVERITY_WEIGHT = {"critical": 4.0, "high": 3.0, "medium": 2.0, "low": 1.0}
CSF_FUNCTIONS = {
    "GV": "Govern",
    "ID": "Identify",
    "PR": "Protect",
    "DE": "Detect",
    "RS": "Respond",
    "RC": "Recover",
}
EXPIRY_WINDOW = timedelta(days=30)
# The outcome metrics an executive sees first, in this order.
HEADLINE = (
    "mfa_coverage_all",
    "mfa_coverage_admins",
    "edr_coverage",
    "patch_baseline",
    "vulns_past_sla",
    "phishing_report_rate",
    "alert_triage_within_sla",
    "incident_mttr_hours",
    "restore_success_rate",
    "secure_score",
)


@dataclass(frozen=True)
class FindingRow:
    """One control result as a review needs it."""

    control_id: str
    title: str
    area: str
    severity: str
    status: str  # pass | fail | accepted | not_applicable | not_assessed | error
    affected: int
    owner: str
    remediation: str
    csf: tuple[str, ...]
    summary: str = ""
    document: dict[str, Any] = field(default_factory=dict)  # the finding's full JSON


@dataclass(frozen=True)
class ExceptionRow:
    id: str
    control_id: str
    state: str  # proposed | approved | …
    expires_at: datetime
    risk_owner: str | None
    justification: str


@dataclass(frozen=True)
class ChangeLine:
    """One security change of the period: approved (a change record) or not (drift)."""

    at: datetime
    approved: bool
    what: str
    who: str  # approver of the change, or who made the drift when the audit log says


@dataclass(frozen=True)
class RoadmapItem:
    finding: FindingRow
    impact: str
    effort: str
    tradeoff: str


@dataclass(frozen=True)
class CsfFunctionSummary:
    code: str
    name: str
    passed: int
    failed: int
    accepted: int
    not_assessed: int
    rag: Rag
    sentence: str


@dataclass(frozen=True)
class AlertSummary:
    raised: int
    by_severity: dict[str, int]
    triaged_within_sla: int
    breached: int
    incidents_opened: int
    incidents_resolved: int


@dataclass
class Review:
    kind: str  # monthly | quarterly
    tenant: str
    tenant_name: str
    organisation: str
    partner: str
    period: Period
    generated_at: datetime
    metrics: list[MetricValue]
    trends: dict[str, Trend]
    findings: list[FindingRow] | Missing
    risks: list[Risk]
    exceptions_due: list[ExceptionRow] | Missing
    changes: ChangeStats | Missing
    alerts: AlertSummary | Missing
    change_lines: list[ChangeLine] = field(default_factory=list)
    csf: list[CsfFunctionSummary] = field(default_factory=list)
    roadmap: list[RoadmapItem] = field(default_factory=list)
    headline: list[str] = field(default_factory=list)
    names: Directory = field(default_factory=Directory)
    incidents: list[IncidentSummary] = field(default_factory=list)
    decisions: Decisions | None = None
    freshness: Freshness | None = None
    commentary: str = ""
    logo: str = ""  # a data: URI, or '' for none

    @property
    def draft(self) -> bool:
        return self.freshness is not None and self.freshness.draft

    def metric(self, key: str) -> MetricValue | None:
        return next((m for m in self.metrics if m.key == key), None)

    def rag_counts(self) -> dict[str, int]:
        counts = Counter(m.rag.value for m in self.metrics)
        return {r.value: counts.get(r.value, 0) for r in Rag}


def _finding_trend(current: FindingRow, previous: dict[str, FindingRow]) -> str:
    before = previous.get(current.control_id)
    if before is None or before.status != "fail":
        return "new"
    if current.affected > before.affected:
        return "growing"
    if current.affected < before.affected:
        return "shrinking"
    return "persisting"


def _objects(f: FindingRow) -> tuple[tuple[str, str, str], ...]:
    doc = f.document.get("unexcepted") or f.document.get("affected") or []
    return tuple((str(o["resource"]), str(o["id"]), str(o.get("name") or "")) for o in doc)


def finding_candidates(
    findings: Sequence[FindingRow], previous: Sequence[FindingRow], names: Directory
) -> list[RiskCandidate]:
    """One risk candidate per failing control, titled as the exposure it leaves."""
    before = {f.control_id: f for f in previous}
    out = []
    for f in findings:
        if f.status != "fail":
            continue
        objects = _objects(f)
        out.append(
            RiskCandidate(
                source=f.control_id,
                severity=f.severity,
                objects=objects,
                title=risk_title(
                    f.control_id, f.title, objects, names, None if objects else f.affected
                ),
                owner=f.owner,
                mitigation=f.remediation,
                summary=names.humanise(f.summary),
                trend=_finding_trend(f, before),
                affected=f.affected,
            )
        )
    return out


def relied_on_candidates(relied: Sequence[DecisionLine], owner: str) -> list[RiskCandidate]:
    """Expired acceptances whose objects are still exposed: one risk for all of them, as
    severe as the worst control they had accepted."""
    if not relied:
        return []
    severity = max((r.severity for r in relied), key=lambda s: SEVERITY_WEIGHT.get(s, 0.0))
    ids = [r.id for r in relied]
    n = len(ids)
    return [
        RiskCandidate(
            source="exception register",
            severity=severity,
            objects=tuple(("exceptions", i, i) for i in ids),
            principals=tuple(sorted({p for r in relied for p in r.scope_ids})),
            title=f"{n} expired risk acceptance{'s are' if n != 1 else ' is'} still relied on "
            f"({', '.join(ids)})",
            owner=owner,
            mitigation="The risk owner renews each with a fresh approval, or the exclusions "
            "are removed so the control applies again.",
            summary="Still exposed: " + "; ".join(sorted({s for r in relied for s in r.scope})),
        )
    ]


def change_candidates(changes: Sequence[PendingChange], owner: str) -> list[RiskCandidate]:
    """Unapproved privileged role grants still present in the latest snapshot."""
    return [
        RiskCandidate(
            source=c.id,
            severity="critical",
            objects=(("drift", c.id, c.what),),
            principals=(c.principal,) if c.principal else (),
            title=f"Unapproved grant still in place: {c.what}",
            owner=owner,
            mitigation="Confirm with the IT lead; if not intended, remove the role assignment "
            "and revoke the assignee's sessions, then record the decision on the drift.",
            summary=f"Detected {c.detected_at:%d %b %Y}, made by {c.by}; "
            "no change record covers it.",
        )
        for c in changes
        if c.privileged and c.still_present
    ]


def _effort(f: FindingRow) -> str:
    if f.affected <= 1:
        return "low"  # one policy or tenant-wide setting
    return "medium" if f.affected <= 20 else "high"


def roadmap(findings: Sequence[FindingRow], count: int = 5) -> list[RoadmapItem]:
    """Top remediation items: highest impact first, cheaper first among equals."""
    effort_rank = {"low": 0, "medium": 1, "high": 2}
    failing = [f for f in findings if f.status == "fail"]
    failing.sort(
        key=lambda f: (-SEVERITY_WEIGHT.get(f.severity, 1.0), effort_rank[_effort(f)], f.control_id)
    )
    items = []
    for f in failing[:count]:
        effort = _effort(f)
        scope = (
            f"{f.affected} object{'s' if f.affected != 1 else ''}" if f.affected else "tenant-wide"
        )
        items.append(
            RoadmapItem(
                finding=f,
                impact=f.severity,
                effort=effort,
                tradeoff=f"Closes a {f.severity}-severity gap ({scope}) for {effort} effort; "
                f"owner: {f.owner}.",
            )
        )
    return items


def csf_summary(findings: Iterable[FindingRow]) -> list[CsfFunctionSummary]:
    """Control results per CSF 2.0 function (`cosec.model.derived.csf`: a control counts
    once per function; controls counted under several functions are said so)."""
    rollup = csf_rollup(
        (ControlResult(f.control_id, f.status, f.severity, f.csf) for f in findings),
        CSF_FUNCTIONS,
    )
    out = []
    for code, name in CSF_FUNCTIONS.items():
        t = rollup.functions[code]
        total = t.total
        if total == 0:
            rag, sentence = Rag.NO_DATA, f"{name}: no control assessed maps to this function."
        else:
            if t.severe_failure:
                rag = Rag.RED
            elif t.failed or t.unknown * 4 > total:
                rag = Rag.AMBER
            else:
                rag = Rag.GREEN
            sentence = f"{name}: {t.passed} of {total} controls pass"
            extras = [
                f"{t.failed} fail" if t.failed else "",
                f"{t.accepted} accepted as risk" if t.accepted else "",
                f"{t.unknown} could not be assessed" if t.unknown else "",
            ]
            extras = [e for e in extras if e]
            sentence += (", " + ", ".join(extras) if extras else "") + "."
            if t.shared:
                sentence += f" {t.shared} of the {total} also count under another function."
        out.append(
            CsfFunctionSummary(code, name, t.passed, t.failed, t.accepted, t.unknown, rag, sentence)
        )
    return out


def exceptions_due(rows: Iterable[ExceptionRow], as_of: datetime) -> list[ExceptionRow]:
    """Exceptions awaiting a decision, or approved and expiring within 30 days of `as_of`."""
    due = [
        r
        for r in rows
        if r.state == "proposed"
        or (r.state == "approved" and as_of <= r.expires_at <= as_of + EXPIRY_WINDOW)
    ]
    return sorted(due, key=lambda r: (r.state != "proposed", r.expires_at, r.id))


def alert_summary(
    period: Period, alerts: Sequence[AlertFact], incidents: Sequence[IncidentFact]
) -> AlertSummary:
    raised = [a for a in alerts if period.contains(a.created_at)]
    # the metric's rule: the clock starts at the event, not at detection
    decided = [ok for a in raised if (ok := within_sla(a, period.end)) is not None]
    within, breached = sum(decided), len(decided) - sum(decided)
    return AlertSummary(
        raised=len(raised),
        by_severity=dict(Counter(a.severity for a in raised)),
        triaged_within_sla=within,
        breached=breached,
        incidents_opened=sum(1 for i in incidents if period.contains(i.detected_at)),
        incidents_resolved=sum(
            1 for i in incidents if i.resolved_at is not None and period.contains(i.resolved_at)
        ),
    )


def trends_for(history: Sequence[MetricValue]) -> dict[str, Trend]:
    """Trends per metric key from values of several periods (any order)."""
    by_key: dict[str, list[MetricValue]] = {}
    for v in sorted(history, key=lambda v: v.period):
        by_key.setdefault(v.key, []).append(v)
    return {k: trend(vs) for k, vs in by_key.items()}


def headline(review: Review) -> list[str]:
    """Three to five plain-language sentences that open a review."""
    counts = review.rag_counts()
    rated = counts["green"] + counts["amber"] + counts["red"]
    lines = []
    if rated:
        amber, red = counts["amber"], counts["red"]
        lines.append(
            f"{counts['green']} of {rated} measures with a target "
            f"{'is' if counts['green'] == 1 else 'are'} on target; "
            f"{amber} {'needs' if amber == 1 else 'need'} attention and "
            f"{red} {'is' if red == 1 else 'are'} off target."
        )
    if counts["no_data"]:
        lines.append(f"{counts['no_data']} measures have no data this period; each says why below.")
    reds = [m for m in review.metrics if m.rag is Rag.RED]
    for m in reds[:2]:
        target = f" against a target of {target_text(m)}" if m.target is not None else ""
        lines.append(f"Off target: {m.title} is {m.display()}{target} (owner: {m.owner}).")
    if review.risks:
        top = review.risks[0]
        lines.append(f"Top risk: {top.title} ({top.severity}); owner {top.owner}.")
    return lines
