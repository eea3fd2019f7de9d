"""A control's verdict and the metric over the same population agree.

IDN-001 fails exactly for the enabled members `ca_coverage_all` counts as not covered,
IDN-002 for the privileged ones `ca_coverage_admins` misses; break-glass accounts are in
neither population and are listed apart by both.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.controls.builder import DOMAIN, NOW, RawTenant, context, grant, run, secure_tenant

from cosec.config import RiskTier
from cosec.controls.base import Status
from cosec.controls.identity import mfa_admins, mfa_all_users
from cosec.metrics.compute import compute_metrics
from cosec.metrics.facts import MetricInputs, Missing
from cosec.metrics.from_snapshot import user_facts
from cosec.metrics.periods import PeriodKind, containing
from cosec.metrics.values import MetricValue
from cosec.model.view import TenantView

GLASS = (f"bg1@{DOMAIN}", f"bg2@{DOMAIN}")
TIERS = {"admins": RiskTier(privileged_roles=True)}


def _exclude(*users: str) -> Callable[[RawTenant], None]:
    def change(t: RawTenant) -> None:
        for pid in ("mfa-all", "admins-phishing-resistant"):
            t.find("conditionalAccessPolicies", id=pid)["conditions"]["users"]["excludeUsers"] = (
                list(users)
            )

    return change


def _client_apps(t: RawTenant) -> None:
    for pid in ("mfa-all", "admins-phishing-resistant"):
        t.find("conditionalAccessPolicies", id=pid)["conditions"]["clientAppTypes"] = ["browser"]


def _report_only(t: RawTenant) -> None:
    t.find("conditionalAccessPolicies", id="mfa-all")["state"] = "enabledForReportingButNotEnforced"


def _metrics(t: RawTenant) -> dict[str, MetricValue]:
    users = user_facts(TenantView(t.snapshot()), TIERS, GLASS)
    inputs = MetricInputs(
        tenant="main",
        period=containing(PeriodKind.MONTH, NOW),
        users=users,
        tier_requirements={"admins": frozenset({"mfa"})},
    )
    return {v.key: v for v in compute_metrics(inputs, {})}


def _failing(finding: object) -> set[str]:
    return {o.object.name for o in finding.evidence if not o.ok}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: None,
        _exclude("clerk", "ceo"),  # only the risk-conditioned policies still apply to them
        _exclude("admin1"),
        _client_apps,
        _report_only,
    ],
    ids=["secure", "excluded-members", "excluded-admin", "client-app-limited", "report-only"],
)
def test_idn_001_and_002_agree_with_ca_coverage(change: Callable[[RawTenant], None]) -> None:
    t = secure_tenant()
    change(t)
    got = _metrics(t)
    for control, key in ((mfa_all_users, "ca_coverage_all"), (mfa_admins, "ca_coverage_admins")):
        finding = run(control, t)
        metric = got[key]
        assert metric.breakdown is not None
        assert _failing(finding) == set(metric.breakdown["not_covered"]), key
        assert (finding.status is Status.PASS) == (metric.value == 100.0), key
        assert sorted(GLASS) == metric.breakdown["break_glass_not_counted"]
        assert f"{metric.numerator} of {metric.denominator} " in finding.summary
        assert "2 break-glass accounts reported separately" in finding.summary


def test_risk_conditioned_policies_are_not_enforcement_in_the_metric() -> None:
    t = secure_tenant()
    _exclude("clerk", "ceo")(t)
    got = _metrics(t)
    assert (got["ca_coverage_all"].numerator, got["ca_coverage_all"].denominator) == (2, 4)
    mfa = got["mfa_coverage_all"]
    assert mfa.breakdown is not None and mfa.breakdown["enforced"] == 2


def test_excluded_users_with_an_approved_exception_are_accepted_not_passed() -> None:
    """The metric measures the tenant; the exception turns the control's fail into accepted."""
    t = secure_tenant()
    _exclude("clerk", "ceo")(t)
    f = run(mfa_all_users, t, context(exceptions=(grant("IDN-001v1", "clerk", "ceo"),)))
    assert f.status is Status.ACCEPTED
    assert _failing(f) == set(_metrics(t)["ca_coverage_all"].breakdown["not_covered"])  # type: ignore[index]


def test_patch_baseline_control_and_metric_judge_each_device_alike() -> None:
    from cosec.controls.endpoint import os_patch_baseline
    from cosec.metrics.from_snapshot import device_facts

    t = secure_tenant()
    t.find("managedDevices", id="dev0")["osVersion"] = "10.0.22631.4000"
    t.find("managedDevices", id="dev3")["osVersion"] = "Os Version value"
    finding = run(os_patch_baseline, t)
    baseline = dict(context().patch_baseline)
    facts = device_facts(TenantView(t.snapshot()), baseline)
    assert not isinstance(facts, Missing)
    intune = {d["id"] for d in t.raw["managedDevices"]}
    below = {f.id for f in facts if f.id in intune and f.on_patch_baseline is False}
    assert below == {o.object.id for o in finding.evidence if not o.ok} == {"dev0", "dev3"}
