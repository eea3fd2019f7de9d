from __future__ import annotations

from tests.controls.builder import context, grant, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import mfa_admins as m


def test_pass_admins_covered() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    # the break-glass Global Administrators are not in the population, but are named
    assert f.summary.startswith("2 of 2 privileged users must use MFA")
    assert "2 break-glass accounts reported separately" in f.summary


def test_admin_covered_only_under_sign_in_risk_fails() -> None:
    t = secure_tenant()
    for pid in ("mfa-all", "admins-phishing-resistant"):
        t.find("conditionalAccessPolicies", id=pid)["conditions"]["users"]["excludeUsers"] = [
            "admin1"
        ]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {(oid, ok) for oid, ok in pairs(f) if not ok} == {("admin1", False)}
    assert "not counted: sign-in-risk, user-risk" in f.summary


def test_exception_for_the_uncovered_admin_accepts() -> None:
    t = secure_tenant()
    for pid in ("mfa-all", "admins-phishing-resistant"):
        t.find("conditionalAccessPolicies", id=pid)["conditions"]["users"]["excludeUsers"] = [
            "admin1"
        ]
    f = run(m, t, context(exceptions=(grant("IDN-002v1", "admin1"),)))
    assert f.status is Status.ACCEPTED


def test_fail_admin_excluded_from_every_mfa_policy() -> None:
    t = secure_tenant()
    t.user("helpdesk", skus=())
    t.role("helpdesk", "729827e3-9c14-49f7-bb1b-9608f156bbb8")
    for p in t.raw["conditionalAccessPolicies"]:
        p["conditions"]["users"]["excludeUsers"] = ["helpdesk", "admin1"]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {(oid, ok) for oid, ok in pairs(f) if not ok} == {("helpdesk", False), ("admin1", False)}


def test_group_assigned_role_is_resolved() -> None:
    t = secure_tenant()
    t.group("grp-ops", ["ops1"], name="Ops")
    t.user("ops1", skus=())
    t.role("grp-ops", "194ae4cb-b126-40b2-bd5b-6091b380977d")
    t.find("conditionalAccessPolicies", id="mfa-all")["conditions"]["users"]["excludeUsers"] = [
        "ops1"
    ]
    f = run(m, t)
    assert {(oid, ok) for oid, ok in pairs(f) if not ok} == {("ops1", False)}
