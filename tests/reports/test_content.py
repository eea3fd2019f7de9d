from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.reports.sample import sample_review

from cosec.metrics.facts import Missing
from cosec.metrics.periods import parse_period
from cosec.metrics.rag import Rag
from cosec.reports.content import (
    ExceptionRow,
    FindingRow,
    csf_summary,
    exceptions_due,
    roadmap,
)
from cosec.reports.review import build_review


def _f(
    cid: str, severity: str, affected: int, status: str = "fail", csf: str = "PR.AA-01"
) -> FindingRow:
    return FindingRow(
        cid,
        f"title {cid}",
        "identity",
        severity,
        status,
        affected,
        "engineer (partner)",
        f"fix {cid}",
        (csf,),
    )


def test_roadmap_puts_impact_first_then_effort() -> None:
    items = roadmap(
        [_f("A", "high", 50), _f("B", "high", 1), _f("C", "critical", 30), _f("D", "low", 0)]
    )
    assert [(i.finding.control_id, i.effort) for i in items] == [
        ("C", "high"),
        ("B", "low"),
        ("A", "high"),
        ("D", "low"),
    ]
    assert "tenant-wide" in items[-1].tradeoff


def test_csf_rollup_by_function_prefix() -> None:
    rows = [
        _f("A", "critical", 2, "fail", "PR.AA-03"),
        _f("B", "low", 0, "pass", "PR.PS-01"),
        _f("C", "medium", 0, "pass", "DE.CM-09"),
        _f("D", "medium", 0, "not_assessed", "DE.AE-02"),
        _f("E", "low", 0, "accepted", "GV.RR-02"),
    ]
    got = {s.code: s for s in csf_summary(rows)}
    assert [s.code for s in csf_summary(rows)] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    assert (got["PR"].passed, got["PR"].failed, got["PR"].rag) == (1, 1, Rag.RED)
    assert got["DE"].rag is Rag.AMBER  # half could not be assessed
    assert "1 could not be assessed" in got["DE"].sentence
    assert got["GV"].accepted == 1 and got["GV"].rag is Rag.GREEN
    assert got["ID"].rag is Rag.NO_DATA


def test_exceptions_due_are_pending_or_expiring_within_30_days() -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        ExceptionRow("E1", "A", "approved", now + timedelta(days=10), "alex", ""),
        ExceptionRow("E2", "A", "approved", now + timedelta(days=90), "alex", ""),
        ExceptionRow("E3", "A", "proposed", now + timedelta(days=90), None, ""),
        ExceptionRow("E4", "A", "expired", now - timedelta(days=1), "alex", ""),
    ]
    assert [r.id for r in exceptions_due(rows, now)] == ["E3", "E1"]


def test_monthly_review_content() -> None:
    review = sample_review("monthly", "2026-10")
    assert review.period.label == "2026-10"
    assert {m.period for m in review.metrics} == {"2026-10"}
    assert review.risks[0].source == "EP-002v1"
    assert review.trends["phishing_report_rate"].points[0][0] == "2026-08"
    assert review.headline[0].endswith("off target.")
    assert [e.id for e in review.exceptions_due] == ["EX-7", "EX-3"]  # type: ignore[union-attr]
    assert review.csf == []  # the CSF roll-up is the quarterly's


def test_quarterly_review_has_csf_and_roadmap() -> None:
    review = sample_review("quarterly", "2026-Q4")
    assert {f.code for f in review.csf} == {"GV", "ID", "PR", "DE", "RS", "RC"}
    assert review.roadmap[0].finding.control_id == "ID-001v1"
    assert "2026-Q3" in review.trends["secure_score"].sentence


def test_review_without_findings_says_so() -> None:
    base = sample_review()
    review = build_review(
        "monthly",
        tenant="main",
        tenant_name="main",
        organisation="o",
        partner="p",
        period=parse_period("2026-10"),
        generated_at=base.generated_at,
        history=base.metrics,
        findings=Missing("no assessment stored"),
    )
    assert review.risks == []
    assert isinstance(review.findings, Missing)
