from __future__ import annotations

from typing import Any

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


def _strength(t: Any, strength: dict[str, Any]) -> None:
    t.find("conditionalAccessPolicies", id="admins-phishing-resistant")["grantControls"] = {
        "operator": "OR",
        "builtInControls": [],
        "authenticationStrength": strength,
    }


def test_custom_strength_of_phishing_resistant_methods_counts() -> None:
    """A custom strength, any name, allowing only FIDO2/WHfB/certificate counts."""
    t = secure_tenant()
    _strength(
        t,
        {
            "id": "5a8b1c3d-0000-4000-8000-000000000001",
            "displayName": "Admins: keys only",
            "policyType": "custom",
            "allowedCombinations": [
                "fido2",
                "windowsHelloForBusiness",
                "x509CertificateMultiFactor",
            ],
        },
    )
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == {("admins-phishing-resistant", True)}


def test_renamed_weak_strength_does_not_count() -> None:
    """Named 'Phishing-resistant' but SMS satisfies it: the admins are not covered."""
    t = secure_tenant()
    _strength(
        t,
        {
            "id": "5a8b1c3d-0000-4000-8000-000000000002",
            "displayName": "Phishing-resistant MFA (custom)",
            "policyType": "custom",
            "allowedCombinations": ["fido2", "password,sms"],
        },
    )
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin1", False), ("admin2", False)}
    assert f.summary.startswith(
        "none of 2 privileged users is required to use phishing-resistant MFA;"
    )


def test_summary_counts_covered_users() -> None:
    f = run(m, secure_tenant())
    assert f.summary.startswith(
        "all 2 privileged users are required to use phishing-resistant MFA;"
    )
