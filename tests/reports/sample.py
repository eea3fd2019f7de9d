"""A realistic review built from facts, shared by the report tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cosec.config import MetricTarget
from cosec.metrics.compute import compute_metrics
from cosec.metrics.facts import (
    AlertFact,
    ChangeStats,
    DeviceFact,
    IncidentFact,
    MetricInputs,
    ScorePoint,
    SimulationFact,
    UserFact,
    VulnerabilityFact,
)
from cosec.metrics.periods import Period, parse_period
from cosec.metrics.values import MetricValue
from cosec.model.governance import AreaOwners, ControlArea, Owner, RestoreTest
from cosec.reports.content import ChangeLine, ExceptionRow, FindingRow, Review
from cosec.reports.review import build_review

TARGETS = {
    "mfa_coverage_all": MetricTarget(target=99, amber=95),
    "mfa_coverage_admins": MetricTarget(target=100, amber=100),
    "edr_coverage": MetricTarget(target=98, amber=90),
    "patch_baseline": MetricTarget(target=95, amber=85),
    "restore_success_rate": MetricTarget(target=100, amber=90),
}
OWNERS = {
    area: AreaOwners(
        area,
        configure=Owner("partner", "engineer"),
        monitor=Owner("partner", "analyst"),
        respond=Owner("partner", "responder"),
        evidence=Owner("internal", "it_lead"),
    )
    for area in ControlArea
}


def inputs_for(period: Period, step: int) -> MetricInputs:
    """Facts that improve a little each month (`step` = months since the first)."""
    mid = period.start + timedelta(days=14)
    users = tuple(
        UserFact(
            id=f"u{i}",
            upn=f"user{i}@contoso.com",
            enabled=True,
            member=True,
            tiers=frozenset({"admins"} if i < 4 else ({"finance"} if i < 10 else set())),
            mfa_registered=i % (8 + step) != 0,
            enforced_grants=frozenset({"mfa"}),
        )
        for i in range(120)
    )
    devices = tuple(
        DeviceFact(f"d{i}", f"pc{i}", "Windows", "10.0.26100", i % (6 + step) != 0, i % 5 != 0)
        for i in range(60)
    )
    vulns = tuple(
        VulnerabilityFact(
            f"CVE-{i}",
            f"d{i}",
            ("critical", "high", "medium", "low")[i % 4],
            period.end - timedelta(days=3 + 9 * i),
            None,
        )
        for i in range(14)
    )
    alerts = tuple(
        AlertFact(
            f"a{step}-{i}",
            "high_risk_sign_in" if i % 3 == 0 else "user_reported_phish",
            "high" if i % 2 else "medium",
            mid - timedelta(hours=3),
            mid + timedelta(hours=i),
            mid + timedelta(hours=i + 1 + (i % 5)),
            None,
            timedelta(hours=4),
        )
        for i in range(12)
    )
    return MetricInputs(
        tenant="main",
        period=period,
        users=users,
        tier_requirements={"admins": frozenset({"mfa"}), "finance": frozenset({"mfa"})},
        devices=devices,
        vulnerabilities=vulns,
        vulnerability_sla={"critical": timedelta(days=14), "high": timedelta(days=30)},
        alerts=alerts,
        incidents=(
            IncidentFact(
                f"i{step}", "high", mid - timedelta(hours=6), mid, mid + timedelta(hours=20)
            ),
        ),
        simulations=(SimulationFact(f"s{step}", "Invoice lure", mid, 100, 35 + 10 * step, 8),),
        secure_scores=(ScorePoint(mid, 52.0 + 4 * step, 100.0),),
        restore_tests=(
            RestoreTest(
                "main",
                "finance-share",
                mid,
                True,
                timedelta(minutes=40),
                timedelta(hours=4),
                "alex",
            ),
        ),
        changes=ChangeStats(approved_changes=3, drift_detected=2, drift_unapproved=1),
        owners=OWNERS,
    )


FINDINGS = [
    FindingRow(
        "ID-001v1",
        "MFA enforced for administrators",
        "identity",
        "critical",
        "fail",
        2,
        "engineer (partner)",
        "Require MFA for all admin roles in Conditional Access.",
        ("PR.AA-03",),
        "2 admins can sign in without MFA.",
    ),
    FindingRow(
        "EP-002v1",
        "Endpoints onboarded to Defender",
        "endpoint",
        "high",
        "fail",
        9,
        "engineer (partner)",
        "Onboard the remaining endpoints with the Intune EDR policy.",
        ("DE.CM-09",),
        "9 endpoints are not onboarded.",
    ),
    FindingRow(
        "EM-003v1",
        "Impersonation protection for executives",
        "email",
        "medium",
        "fail",
        1,
        "engineer (partner)",
        "Add the CFO to targeted user protection.",
        ("PR.PS-01",),
        "",
    ),
    FindingRow(
        "DR-001v1",
        "Restore tested this quarter",
        "data_recovery",
        "medium",
        "pass",
        0,
        "it_lead (internal)",
        "",
        ("RC.RP-03",),
        "",
    ),
    FindingRow(
        "GV-001v1",
        "Responsibility map complete",
        "governance",
        "low",
        "pass",
        0,
        "it_lead (internal)",
        "",
        ("GV.RR-02",),
        "",
    ),
]


def sample_review(kind: str = "monthly", label: str = "2026-10") -> Review:
    period = parse_period(label)
    months = period.history(3) if kind == "monthly" else period.history(2)
    history: list[MetricValue] = []
    for step, p in enumerate(months):
        history += compute_metrics(inputs_for(p, step), TARGETS)
    return build_review(
        kind,
        tenant="main",
        tenant_name="Contoso Ltd (main)",
        organisation="Contoso Ltd",
        partner="Partner MSP",
        period=period,
        generated_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
        history=history,
        findings=FINDINGS,
        previous_findings=[FINDINGS[1]],
        exceptions=[
            ExceptionRow(
                "EX-7",
                "ID-001v1",
                "proposed",
                period.end + timedelta(days=60),
                "alex",
                "Break-glass account",
            ),
            ExceptionRow(
                "EX-3",
                "EM-003v1",
                "approved",
                period.end + timedelta(days=10),
                "alex",
                "CFO on leave",
            ),
        ],
        changes=ChangeStats(approved_changes=3, drift_detected=2, drift_unapproved=1),
        alerts=inputs_for(period, len(months) - 1).alerts,  # type: ignore[arg-type]
        change_lines=[
            ChangeLine(
                period.start + timedelta(days=9),
                False,
                "Conditional Access policy Block legacy auth changed: state",
                "admin@contoso.com",
            ),
            ChangeLine(
                period.start + timedelta(days=2), True, "Enable Safe Links for Teams", "alex"
            ),
        ],
    )
