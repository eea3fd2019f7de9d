from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import phishing_resistant_admins as m


def test_pass_strength_policy_covers_global_admins() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("admins-phishing-resistant", True)}


def test_fail_other_privileged_role_not_covered() -> None:
    t = secure_tenant()
    t.user("secadmin", skus=())
    t.role("secadmin", "194ae4cb-b126-40b2-bd5b-6091b380977d")
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admins-phishing-resistant", True), ("secadmin", False)}


def test_plain_mfa_is_not_phishing_resistant() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="admins-phishing-resistant")["grantControls"] = {
        "operator": "OR",
        "builtInControls": ["mfa"],
    }
    f = run(m, t)
    assert pairs(f) == {("admin1", False), ("admin2", False)}
