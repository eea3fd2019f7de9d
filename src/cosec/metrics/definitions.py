"""What each metric means: title, unit, direction, numerator, denominator and owner.

`docs/metrics.md` is the long-form text; the short definitions here travel with every
computed value (CLI, reports, evidence pack). Per-tier metrics are families: `{tier}` in
the key is replaced by each risk tier of cosec.yaml (and `all` for the whole tenant).
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.model.governance import ControlArea, Duty


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    title: str
    area: ControlArea
    duty: Duty  # whose cell of the responsibility map owns the metric
    unit: str  # "%", "hours", "days", "count", "per 100 users", "points"
    higher_is_better: bool
    definition: str
    numerator: str
    denominator: str
    # False where "better" has no meaning (a volume the business decides): trends then
    # say rose/fell, never improved/worsened.
    directional: bool = True

    def for_tier(self, tier: str) -> MetricDefinition:
        return MetricDefinition(
            key=self.key.format(tier=tier),
            title=self.title.format(tier=tier),
            area=self.area,
            duty=self.duty,
            unit=self.unit,
            higher_is_better=self.higher_is_better,
            definition=self.definition.format(tier=tier),
            numerator=self.numerator.format(tier=tier),
            denominator=self.denominator.format(tier=tier),
            directional=self.directional,
        )


A = ControlArea
D = Duty

DEFINITIONS: dict[str, MetricDefinition] = {
    d.key: d
    for d in (
        MetricDefinition(
            "mfa_coverage_{tier}",
            "MFA coverage ({tier})",
            A.IDENTITY,
            D.CONFIGURE,
            "%",
            True,
            "Share of enabled member accounts in {tier} that have registered an MFA method "
            "AND are required to use MFA on every sign-in: security defaults, or an "
            "always-on Conditional Access policy (enabled, all cloud apps, no risk condition, "
            "no client-app restriction; the definition IDN-001/IDN-002 use). Registered and "
            "enforced are also shown separately; declared break-glass accounts are not "
            "counted and are listed apart.",
            "enabled members in {tier} registered and enforced",
            "enabled members in {tier}",
        ),
        MetricDefinition(
            "ca_coverage_{tier}",
            "Conditional Access coverage ({tier})",
            A.IDENTITY,
            D.CONFIGURE,
            "%",
            True,
            "Share of enabled members of the {tier} tier on whom always-on Conditional Access "
            "policies enforce every grant control the tier requires (cosec.yaml "
            "risk_tiers.<tier>.requires, MFA by default); break-glass accounts are not "
            "counted and are listed apart.",
            "members with every required grant control enforced",
            "enabled members of {tier}",
        ),
        MetricDefinition(
            "risky_signin_investigated",
            "High-risk sign-ins investigated within SLA",
            A.IDENTITY,
            D.MONITOR,
            "%",
            True,
            "Share of high-risk sign-in alerts raised in the period whose triage finished "
            "within the triage SLA of their severity; the median time to triage is shown.",
            "high-risk sign-in alerts triaged within SLA",
            "high-risk sign-in alerts raised in the period",
        ),
        MetricDefinition(
            "phishing_report_rate",
            "Phishing simulation reporting rate",
            A.AWARENESS,
            D.MONITOR,
            "%",
            True,
            "Share of delivered attack-simulation messages that users reported, over the "
            "simulations completed in the period.",
            "simulation messages reported",
            "simulation messages delivered",
        ),
        MetricDefinition(
            "phish_reports_per_100_users",
            "User-reported phishing per 100 users",
            A.AWARENESS,
            D.MONITOR,
            "per 100 users",
            True,
            "Messages users reported as phishing or malware in the period, per 100 enabled "
            "member accounts (a healthy reporting culture reports more).",
            "user-reported messages",
            "enabled members / 100",
        ),
        MetricDefinition(
            "phish_report_triage_hours",
            "Median time from user report to triage",
            A.EMAIL,
            D.RESPOND,
            "hours",
            False,
            "Median hours from a user-reported phishing alert being raised to its triage, "
            "over the reports raised in the period.",
            "hours to triage (median)",
            "user-reported messages triaged",
        ),
        MetricDefinition(
            "impersonation_coverage",
            "Impersonation protection of people-defined risk tiers",
            A.EMAIL,
            D.CONFIGURE,
            "%",
            True,
            "Share of the enabled members of the risk tiers defined by groups, departments "
            "or users (executives, finance, … whatever their names; the population "
            "EML impersonation control uses), each person once, protected by an enabled "
            "anti-phishing policy with targeted user protection.",
            "protected tier members",
            "enabled members of people-defined tiers",
        ),
        MetricDefinition(
            "antiphish_review_age_days",
            "Days since the anti-phishing policy was last reviewed",
            A.EMAIL,
            D.CONFIGURE,
            "days",
            False,
            "Days from the last change to an anti-phishing policy or rule to the end of the "
            "period.",
            "days since the last change",
            "—",
        ),
        MetricDefinition(
            "edr_coverage",
            "Defender for Endpoint coverage",
            A.ENDPOINT,
            D.CONFIGURE,
            "%",
            True,
            "Share of known endpoints onboarded to Defender for Endpoint.",
            "endpoints onboarded",
            "endpoints known",
        ),
        MetricDefinition(
            "patch_baseline",
            "Endpoints on the patch baseline",
            A.VULNERABILITY_MANAGEMENT,
            D.RESPOND,
            "%",
            True,
            "Share of endpoints whose OS version meets the minimum version for their "
            "platform (cosec.yaml `patch_baseline`); platforms without a baseline are "
            "excluded and counted in the breakdown.",
            "endpoints at or above the baseline",
            "endpoints with a baseline for their OS",
        ),
        MetricDefinition(
            "vulns_past_sla",
            "Open vulnerabilities past their remediation SLA",
            A.VULNERABILITY_MANAGEMENT,
            D.RESPOND,
            "count",
            False,
            "Open vulnerabilities at the end of the period that are older than the "
            "remediation SLA of their severity; the breakdown gives open counts by severity "
            "and age bucket.",
            "open vulnerabilities older than their SLA",
            "—",
        ),
        MetricDefinition(
            "vuln_mttr_days",
            "Mean time to remediate vulnerabilities",
            A.VULNERABILITY_MANAGEMENT,
            D.RESPOND,
            "days",
            False,
            "Mean days from first seen to remediated, over vulnerabilities remediated in the "
            "period.",
            "sum of days open",
            "vulnerabilities remediated in the period",
        ),
        MetricDefinition(
            "restore_success_rate",
            "Restore tests succeeded",
            A.DATA_RECOVERY,
            D.EVIDENCE,
            "%",
            True,
            "Share of restore tests in the period that succeeded; per dataset in the breakdown.",
            "successful restore tests",
            "restore tests in the period",
        ),
        MetricDefinition(
            "restore_within_target",
            "Restores within the time-to-restore target",
            A.DATA_RECOVERY,
            D.EVIDENCE,
            "%",
            True,
            "Share of successful restore tests with a target whose time to restore was "
            "within that target.",
            "restores within target",
            "successful restore tests with a target",
        ),
        MetricDefinition(
            "secure_score",
            "Microsoft Secure Score",
            A.GOVERNANCE,
            D.MONITOR,
            "%",
            True,
            "The last Secure Score of the period as a share of the maximum achievable.",
            "current score",
            "maximum score",
        ),
        MetricDefinition(
            "alert_triage_within_sla",
            "Alerts triaged within SLA",
            A.INCIDENT_RESPONSE,
            D.MONITOR,
            "%",
            True,
            "Share of alerts raised in the period that were triaged within the SLA of their "
            "severity (cosec.yaml `sla.alert_triage`): the triage queue's clock, from the "
            "event that raised the alert to the triage decision, recorded pauses excluded; "
            "undecided alerts past SLA count against it.",
            "alerts triaged within SLA",
            "alerts raised in the period",
        ),
        MetricDefinition(
            "incident_mttd_hours",
            "Incident mean time to detect",
            A.INCIDENT_RESPONSE,
            D.MONITOR,
            "hours",
            False,
            "Mean hours from an incident's first malicious activity to its first detection "
            "(the first alert, else the declaration), over incidents detected in the period; "
            "the source (cosec-declared or Defender incidents) is named.",
            "sum of hours to detect",
            "incidents detected in the period with a known start",
        ),
        MetricDefinition(
            "incident_mttr_hours",
            "Incident mean time to resolve",
            A.INCIDENT_RESPONSE,
            D.RESPOND,
            "hours",
            False,
            "Mean hours from first detection (the first alert, else the declaration) to "
            "recovery (status recovered, else closed), over incidents resolved in the period "
            "— the times `cosec incidents times` shows; the source is named.",
            "sum of hours to resolve",
            "incidents resolved in the period",
        ),
        MetricDefinition(
            "exceptions_active",
            "Active risk acceptances",
            A.GOVERNANCE,
            D.EVIDENCE,
            "count",
            False,
            "Approved, unexpired exceptions at the end of the period; expiring, awaiting "
            "decision, granted and expired counts in the breakdown.",
            "active exceptions",
            "—",
            directional=False,
        ),
        MetricDefinition(
            "drift_unapproved",
            "Unapproved configuration changes",
            A.GOVERNANCE,
            D.MONITOR,
            "count",
            False,
            "Configuration drift observed in the period that no approved change record covers.",
            "drift items without a change record",
            "—",
        ),
    )
}

TIER_FAMILIES = ("mfa_coverage_{tier}", "ca_coverage_{tier}")


def definition(key: str) -> MetricDefinition:
    """The definition of a metric key, resolving per-tier families."""
    if key in DEFINITIONS:
        return DEFINITIONS[key]
    for family in TIER_FAMILIES:
        prefix = family.removesuffix("{tier}")
        if key.startswith(prefix) and len(key) > len(prefix):
            return DEFINITIONS[family].for_tier(key.removeprefix(prefix))
    raise KeyError(f"unknown metric {key!r}")
