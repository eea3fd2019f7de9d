"""Compute every metric of one tenant and period from `MetricInputs`.

Each metric reads only its facts; facts that are `Missing` give "no data" with the
reason, and an empty population gives "no data" saying so, never 0% or 100%.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from statistics import mean, median
from typing import Any

from cosec.config import MetricTarget
from cosec.metrics.definitions import DEFINITIONS, definition
from cosec.metrics.facts import AlertFact, IncidentFact, MetricInputs, Missing, UserFact
from cosec.metrics.values import MetricValue, make_value
from cosec.model.derived.alert_sla import clock_start, triaged_within_sla

AGE_BUCKETS: tuple[tuple[str, int], ...] = (("0-7d", 7), ("8-30d", 30), ("31-90d", 90))
OVER_LAST_BUCKET = ">90d"
HIGH_RISK_SIGN_IN = "high_risk_sign_in"
USER_REPORTED_PHISH = "user_reported_phish"


def _pct(num: int, den: int) -> float:
    return 100.0 * num / den


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


class _Builder:
    def __init__(self, inputs: MetricInputs, targets: dict[str, MetricTarget]) -> None:
        self.inputs = inputs
        self.targets = targets
        self.out: list[MetricValue] = []

    def add(self, key: str, **kwargs: Any) -> None:
        self.out.append(
            make_value(
                definition(key),
                self.inputs.period.label,
                targets=self.targets,
                owners=self.inputs.owners,
                **kwargs,
            )
        )

    def ratio(self, key: str, num: int, den: int, empty: str, **kwargs: Any) -> None:
        if den == 0:
            self.add(key, reason=empty, **kwargs)
        else:
            self.add(key, value=_pct(num, den), numerator=num, denominator=den, **kwargs)


def _tiers(inputs: MetricInputs) -> list[str]:
    return ["all", *sorted(t for t in inputs.tier_requirements if t != "all")]


def _in_tier(users: Iterable[UserFact], tier: str) -> list[UserFact]:
    return [u for u in users if u.enabled and u.member and (tier == "all" or tier in u.tiers)]


def _population(users: Iterable[UserFact], tier: str) -> list[UserFact]:
    """Enabled members of the tier, break-glass accounts left out (reported apart)."""
    return [u for u in _in_tier(users, tier) if not u.break_glass]


def _break_glass(users: Iterable[UserFact], tier: str) -> list[str]:
    return sorted(u.upn for u in _in_tier(users, tier) if u.break_glass)


def _identity(b: _Builder) -> None:
    users = b.inputs.users
    for tier in _tiers(b.inputs):
        mfa, ca = f"mfa_coverage_{tier}", f"ca_coverage_{tier}"
        if isinstance(users, Missing):
            b.add(mfa, reason=users.reason)
            b.add(ca, reason=users.reason)
            continue
        pop = _population(users, tier)
        glass = _break_glass(users, tier)
        empty = f"no enabled member accounts in {tier}"
        if any(u.mfa_registered is None for u in pop):
            b.add(mfa, reason="MFA registration details could not be read")
        elif any(u.enforced_grants is None for u in pop):
            b.add(mfa, reason="Conditional Access policies could not be read")
        else:
            registered = sum(1 for u in pop if u.mfa_registered)
            enforced = sum(1 for u in pop if "mfa" in (u.enforced_grants or ()))
            both = sum(1 for u in pop if u.mfa_registered and "mfa" in (u.enforced_grants or ()))
            b.ratio(
                mfa,
                both,
                len(pop),
                empty,
                breakdown={
                    "registered": registered,
                    "enforced": enforced,
                    "registered_pct": round(_pct(registered, len(pop)), 1) if pop else None,
                    "enforced_pct": round(_pct(enforced, len(pop)), 1) if pop else None,
                    "not_covered": sorted(
                        u.upn
                        for u in pop
                        if not (u.mfa_registered and "mfa" in (u.enforced_grants or ()))
                    )[:20],
                    "break_glass_not_counted": glass,
                },
            )
        required = b.inputs.tier_requirements.get(tier, frozenset({"mfa"}))
        if any(u.enforced_grants is None for u in pop):
            b.add(ca, reason="Conditional Access policies could not be read")
            continue
        covered = [u for u in pop if required <= (u.enforced_grants or frozenset())]
        b.ratio(
            ca,
            len(covered),
            len(pop),
            empty,
            breakdown={
                "required": sorted(required),
                "not_covered": sorted({u.upn for u in pop} - {u.upn for u in covered})[:20],
                "break_glass_not_counted": glass,
            },
        )


def _in_period(b: _Builder, alerts: Iterable[AlertFact], category: str | None) -> list[AlertFact]:
    return [
        a
        for a in alerts
        if b.inputs.period.contains(a.created_at) and (category is None or a.category == category)
    ]


def _clock_start(a: AlertFact) -> datetime:
    return clock_start(a.activity_at, a.created_at)


def within_sla(a: AlertFact, as_of: datetime) -> bool | None:
    """The shared rule (`cosec.model.derived.alert_sla`): the clock starts at the event."""
    return triaged_within_sla(
        event_at=a.activity_at,
        detected_at=a.created_at,
        triaged_at=a.triaged_at,
        window=a.triage_sla,
        as_of=as_of,
        paused=a.paused,
    )


def _alerts(b: _Builder) -> None:
    alerts, end = b.inputs.alerts, b.inputs.period.end
    keys = ("risky_signin_investigated", "alert_triage_within_sla", "phish_report_triage_hours")
    if isinstance(alerts, Missing):
        for key in (*keys, "phish_reports_per_100_users"):
            b.add(key, reason=alerts.reason)
        return
    for key, category in ((keys[0], HIGH_RISK_SIGN_IN), (keys[1], None)):
        raised = _in_period(b, alerts, category)
        decided = [(a, ok) for a in raised if (ok := within_sla(a, end)) is not None]
        times = [_hours(a.triaged_at - _clock_start(a) - a.paused) for a in raised if a.triaged_at]
        by_sev = Counter(a.severity for a, ok in decided if not ok)
        b.ratio(
            key,
            sum(1 for _, ok in decided if ok),
            len(decided),
            "no alerts of this kind raised in the period"
            if not raised
            else "alerts raised but none triaged yet",
            breakdown={
                "raised": len(raised),
                "median_hours_to_triage": round(median(times), 2) if times else None,
                "breaches_by_severity": dict(sorted(by_sev.items())),
            },
        )
    reports = _in_period(b, alerts, USER_REPORTED_PHISH)
    times = [_hours(a.triaged_at - _clock_start(a) - a.paused) for a in reports if a.triaged_at]
    if times:
        b.add(
            keys[2],
            value=median(times),
            numerator=round(median(times), 2),
            denominator=len(times),
            breakdown={"reported": len(reports), "triaged": len(times)},
        )
    else:
        b.add(keys[2], reason="no user-reported messages triaged in the period")
    users = b.inputs.users
    key = "phish_reports_per_100_users"
    if isinstance(users, Missing):
        b.add(key, reason=users.reason)
    else:
        members = len(_in_tier(users, "all"))
        if members == 0:
            b.add(key, reason="no enabled member accounts")
        else:
            b.add(
                key,
                value=100.0 * len(reports) / members,
                numerator=len(reports),
                denominator=members,
            )


def _awareness(b: _Builder) -> None:
    sims = b.inputs.simulations
    if isinstance(sims, Missing):
        b.add("phishing_report_rate", reason=sims.reason)
        return
    done = [s for s in sims if b.inputs.period.contains(s.completed_at)]
    delivered = sum(s.delivered for s in done)
    b.ratio(
        "phishing_report_rate",
        sum(s.reported for s in done),
        delivered,
        "no attack simulation completed in the period",
        breakdown={
            "simulations": [s.name for s in done],
            "compromised": sum(s.compromised for s in done),
        },
    )


def _email(b: _Builder) -> None:
    facts, reviewed = b.inputs.impersonation, b.inputs.antiphish_last_review
    if isinstance(facts, Missing):
        b.add("impersonation_coverage", reason=facts.reason)
    else:
        # each person once, however many tiers they are in (as the control counts them)
        people = {f.user: f.protected for f in facts}
        by_tier: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f in facts:
            by_tier[f.tier][0] += int(f.protected)
            by_tier[f.tier][1] += 1
        b.ratio(
            "impersonation_coverage",
            sum(people.values()),
            len(people),
            "no member of a risk tier defined by groups, departments or users",
            breakdown={
                "by_tier": {t: {"protected": p, "users": n} for t, (p, n) in by_tier.items()},
                "unprotected": sorted(u for u, ok in people.items() if not ok)[:20],
            },
        )
    key = "antiphish_review_age_days"
    if isinstance(reviewed, Missing):
        b.add(key, reason=reviewed.reason)
    elif reviewed is None:
        b.add(key, reason="the anti-phishing policies carry no change date")
    else:
        b.add(key, value=(b.inputs.period.end - reviewed).total_seconds() / 86400)


def _endpoint(b: _Builder) -> None:
    devices = b.inputs.devices
    if isinstance(devices, Missing):
        b.add("edr_coverage", reason=devices.reason)
        b.add("patch_baseline", reason=devices.reason)
        return
    onboarded = [d for d in devices if d.edr_onboarded]
    b.ratio(
        "edr_coverage",
        len(onboarded),
        len(devices),
        "no endpoints known",
        breakdown={"not_onboarded": sorted(d.name for d in devices if not d.edr_onboarded)[:20]},
    )
    judged = [d for d in devices if d.on_patch_baseline is not None]
    by_os: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in judged:
        by_os[d.os][0] += int(bool(d.on_patch_baseline))
        by_os[d.os][1] += 1
    b.ratio(
        "patch_baseline",
        sum(1 for d in judged if d.on_patch_baseline),
        len(judged),
        "no endpoint has a patch baseline for its OS (cosec.yaml patch_baseline)",
        breakdown={
            "by_os": {os: {"on_baseline": ok, "devices": n} for os, (ok, n) in by_os.items()},
            "no_baseline": len(devices) - len(judged),
        },
    )


def _bucket(age: timedelta) -> str:
    for name, days in AGE_BUCKETS:
        if age <= timedelta(days=days):
            return name
    return OVER_LAST_BUCKET


def _vulnerabilities(b: _Builder) -> None:
    vulns, end = b.inputs.vulnerabilities, b.inputs.period.end
    if isinstance(vulns, Missing):
        b.add("vulns_past_sla", reason=vulns.reason)
        b.add("vuln_mttr_days", reason=vulns.reason)
        return
    open_ = [v for v in vulns if v.first_seen < end and (v.remediated_at or end) >= end]
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    past = Counter[str]()
    for v in open_:
        age = end - v.first_seen
        grid[v.severity][_bucket(age)] += 1
        sla = b.inputs.vulnerability_sla.get(v.severity)
        if sla is not None and age > sla:
            past[v.severity] += 1
    b.add(
        "vulns_past_sla",
        value=sum(past.values()),
        numerator=sum(past.values()),
        denominator=len(open_),
        breakdown={
            "open": len(open_),
            "past_sla_by_severity": dict(past),
            "open_by_severity_and_age": {s: dict(c) for s, c in grid.items()},
        },
    )
    fixed = [
        v
        for v in vulns
        if v.remediated_at is not None and b.inputs.period.contains(v.remediated_at)
    ]
    if not fixed:
        b.add("vuln_mttr_days", reason="no vulnerability remediated in the period")
        return
    days = [
        (v.remediated_at - v.first_seen).total_seconds() / 86400 for v in fixed if v.remediated_at
    ]
    b.add("vuln_mttr_days", value=mean(days), numerator=round(sum(days), 2), denominator=len(days))


def _restore(b: _Builder) -> None:
    tests = b.inputs.restore_tests
    if isinstance(tests, Missing):
        b.add("restore_success_rate", reason=tests.reason)
        b.add("restore_within_target", reason=tests.reason)
        return
    done = [t for t in tests if b.inputs.period.contains(t.tested_at)]
    per: dict[str, dict[str, Any]] = {}
    for t in sorted(done, key=lambda t: t.tested_at):
        row = per.setdefault(t.dataset, {"tests": 0, "succeeded": 0, "last_minutes": None})
        row["tests"] += 1
        row["succeeded"] += int(t.succeeded)
        if t.time_to_restore is not None:
            row["last_minutes"] = round(t.time_to_restore.total_seconds() / 60)
        if t.target is not None:
            row["target_minutes"] = round(t.target.total_seconds() / 60)
    b.ratio(
        "restore_success_rate",
        sum(1 for t in done if t.succeeded),
        len(done),
        "no restore test recorded in the period",
        breakdown={"datasets": per},
    )
    timed = [
        t for t in done if t.succeeded and t.target is not None and t.time_to_restore is not None
    ]
    b.ratio(
        "restore_within_target",
        sum(1 for t in timed if t.time_to_restore and t.target and t.time_to_restore <= t.target),
        len(timed),
        "no successful restore test with a time-to-restore target in the period",
    )


def _score(b: _Builder) -> None:
    points = b.inputs.secure_scores
    if isinstance(points, Missing):
        b.add("secure_score", reason=points.reason)
        return
    inside = sorted((p for p in points if b.inputs.period.contains(p.at)), key=lambda p: p.at)
    if not inside or inside[-1].max_score <= 0:
        b.add("secure_score", reason="no Secure Score in the period")
        return
    first, last = inside[0], inside[-1]
    b.add(
        "secure_score",
        value=_pct_f(last.score, last.max_score),
        numerator=last.score,
        denominator=last.max_score,
        breakdown={
            "first_in_period": round(_pct_f(first.score, first.max_score), 1),
            "points": [
                [p.at.date().isoformat(), round(_pct_f(p.score, p.max_score), 1)] for p in inside
            ],
        },
    )


def _pct_f(num: float, den: float) -> float:
    return 100.0 * num / den if den else 0.0


def _sources(incidents: Iterable[IncidentFact]) -> list[str]:
    return sorted({i.source for i in incidents})


def _incidents(b: _Builder) -> None:
    """MTTD: first event → first detection; MTTR: first detection → recovery
    (`cosec.model.derived.incident_times`), each with the source of the incidents named."""
    incidents = b.inputs.incidents
    if isinstance(incidents, Missing):
        b.add("incident_mttd_hours", reason=incidents.reason)
        b.add("incident_mttr_hours", reason=incidents.reason)
        return
    detected = [i for i in incidents if b.inputs.period.contains(i.detected_at) and i.started_at]
    if detected:
        hours = [_hours(i.detected_at - i.started_at) for i in detected if i.started_at]
        b.add(
            "incident_mttd_hours",
            value=mean(hours),
            numerator=round(sum(hours), 2),
            denominator=len(hours),
            breakdown={"source": _sources(detected), "incidents": sorted(i.id for i in detected)},
        )
    else:
        b.add("incident_mttd_hours", reason="no incident with a known start detected in period")
    resolved = [
        i
        for i in incidents
        if i.resolved_at is not None and b.inputs.period.contains(i.resolved_at)
    ]
    if resolved:
        hours = [_hours(i.resolved_at - i.detected_at) for i in resolved if i.resolved_at]
        b.add(
            "incident_mttr_hours",
            value=mean(hours),
            numerator=round(sum(hours), 2),
            denominator=len(hours),
            breakdown={
                "by_severity": dict(Counter(i.severity for i in resolved)),
                "source": _sources(resolved),
                "incidents": sorted(i.id for i in resolved),
            },
        )
    else:
        b.add("incident_mttr_hours", reason="no incident resolved in the period")


def _governance(b: _Builder) -> None:
    ex, ch = b.inputs.exceptions, b.inputs.changes
    if isinstance(ex, Missing):
        b.add("exceptions_active", reason=ex.reason)
    else:
        b.add(
            "exceptions_active",
            value=ex.active,
            numerator=ex.active,
            breakdown={
                "expiring_soon": ex.expiring_soon,
                "awaiting_decision": ex.awaiting_decision,
                "granted_in_period": ex.granted_in_period,
                "expired_in_period": ex.expired_in_period,
            },
        )
    if isinstance(ch, Missing):
        b.add("drift_unapproved", reason=ch.reason)
    else:
        b.add(
            "drift_unapproved",
            value=ch.drift_unapproved,
            numerator=ch.drift_unapproved,
            denominator=ch.drift_detected,
            breakdown={
                "drift_detected": ch.drift_detected,
                "approved_changes": ch.approved_changes,
            },
        )


SECTIONS: tuple[Callable[[_Builder], None], ...] = (
    _identity,
    _alerts,
    _awareness,
    _email,
    _endpoint,
    _vulnerabilities,
    _restore,
    _score,
    _incidents,
    _governance,
)


def compute_metrics(inputs: MetricInputs, targets: dict[str, MetricTarget]) -> list[MetricValue]:
    """Every metric for the tenant and period of `inputs`, in definition order."""
    b = _Builder(inputs, targets)
    for section in SECTIONS:
        section(b)
    order = {k: i for i, k in enumerate(metric_keys(t for t in _tiers(inputs) if t != "all"))}
    return sorted(b.out, key=lambda v: order[v.key])


def metric_keys(tiers: Iterable[str]) -> list[str]:
    """All metric keys for a workspace with these risk tiers."""
    fixed = [k for k in DEFINITIONS if "{tier}" not in k]
    per_tier = [
        f.format(tier=t) for t in ["all", *sorted(tiers)] for f in DEFINITIONS if "{tier}" in f
    ]
    return per_tier + fixed
