from __future__ import annotations

from tests.controls.builder import context, grant, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import mfa_all_users as m


def test_pass_when_an_enabled_policy_covers_everyone() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    # risk-conditioned policies are additional protection: not evidence of enforcement
    assert pairs(f) == {("mfa-all", True), ("admins-phishing-resistant", True)}
    assert f.summary.startswith("4 of 4 enabled members must use MFA")
    assert "2 break-glass accounts reported separately" in f.summary
    assert "conditional (risk or client-app) MFA policies not counted: sign-in-risk, user-risk" in (
        f.summary
    )


def test_excluded_users_fail_although_risk_policies_require_mfa_for_them() -> None:
    """The demo tenant's gap: excluded from the all-users policy, only risk policies left."""
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="mfa-all")["conditions"]["users"]["excludeUsers"] = [
        "clerk",
        "ceo",
    ]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {(oid, ok) for oid, ok in pairs(f) if not ok} == {("clerk", False), ("ceo", False)}
    assert f.summary.startswith("2 of 4 enabled members must use MFA")


def test_client_app_limited_policy_is_not_enforcement() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="mfa-all")["conditions"]["clientAppTypes"] = ["browser"]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {(oid, ok) for oid, ok in pairs(f) if not ok} == {("clerk", False), ("ceo", False)}


def test_excluded_users_covered_by_a_second_always_on_policy_pass() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="mfa-all")["conditions"]["users"]["excludeUsers"] = [
        "clerk"
    ]
    t.ca(
        "mfa-finance",
        conditions__users={
            "includeUsers": ["clerk"],
            "excludeUsers": [],
            "includeGroups": [],
            "excludeGroups": [],
            "includeRoles": [],
            "excludeRoles": [],
        },
    )
    f = run(m, t)
    assert f.status is Status.PASS
    assert ("mfa-finance", True) in pairs(f)


def test_excluded_group_member_and_report_only_fail() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="mfa-all")["conditions"]["users"]["excludeGroups"] = [
        "grp-breakglass",
        "grp-staff",
    ]
    for pid in ("sign-in-risk", "user-risk", "admins-phishing-resistant"):
        t.find("conditionalAccessPolicies", id=pid)["state"] = "enabledForReportingButNotEnforced"
    f = run(m, t)
    assert f.status is Status.FAIL
    # grp-staff nests grp-admins: transitive membership resolved
    assert pairs(f) == {
        ("mfa-all", True),
        ("ceo", False),
        ("clerk", False),
        ("admin1", False),
        ("admin2", False),
    }
    assert "report-only policies not counted" in f.summary


def test_security_defaults_pass_without_conditional_access_licence() -> None:
    t = secure_tenant()
    t.one("securityDefaults")["isEnabled"] = True
    t.unavailable("conditionalAccessPolicies", licence="Microsoft Entra ID P1")
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == {("securityDefaults", True)}


def test_no_licence_no_defaults_fails_everyone() -> None:
    t = secure_tenant()
    t.unavailable("conditionalAccessPolicies", licence="Microsoft Entra ID P1")
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {oid for oid, ok in pairs(f)} == {"admin1", "admin2", "ceo", "clerk"}


def test_unreadable_policies_are_not_assessed() -> None:
    t = secure_tenant()
    t.unavailable("conditionalAccessPolicies", permission="Policy.Read.All")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_permission == "Policy.Read.All"
    assert f.missing_resource == "conditionalAccessPolicies"


def test_exception_for_every_gap_accepts_and_partial_one_names_the_rest() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="mfa-all")["conditions"]["users"]["excludeUsers"] = [
        "ceo",
        "clerk",
    ]
    f = run(m, t, context(exceptions=(grant("IDN-001v1", "ceo", "clerk"),)))
    assert f.status is Status.ACCEPTED
    assert f.accepted_by == ("EXC-IDN-001v1",)
    f = run(m, t, context(exceptions=(grant("IDN-001v1", "ceo"),)))
    assert f.status is Status.FAIL
    assert f.would_pass_with == "would pass with exceptions for: clerk@contoso.example"
