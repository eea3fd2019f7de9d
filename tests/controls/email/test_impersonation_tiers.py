from __future__ import annotations

from tests.controls.builder import context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import impersonation_tiers as m

DEFAULT = "Office365 AntiPhish Default"


def test_pass_ceo_and_clerk_listed() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(DEFAULT, True)}


def test_fail_new_finance_user_not_listed() -> None:
    t = secure_tenant()
    t.user("ap-clerk", department="Finance")
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {(DEFAULT, True), ("ap-clerk", False)}


def test_fail_protection_off_and_custom_policy_without_rule_does_not_count() -> None:
    t = secure_tenant()
    t.one("antiPhishPolicies")["EnableTargetedUserProtection"] = False
    t.add(
        "antiPhishPolicies",
        {
            "Identity": "Execs",
            "Enabled": True,
            "EnableTargetedUserProtection": True,
            "TargetedUsersToProtect": ["Ceo;ceo@contoso.example"],
        },
    )
    f = run(m, t)
    assert pairs(f) == {("ceo", False), ("clerk", False)}
    t.add("antiPhishRules", {"Name": "Execs", "AntiPhishPolicy": "Execs", "State": "Enabled"})
    assert pairs(run(m, t)) == {("Execs", True), ("clerk", False)}


def test_no_people_tiers_not_assessed() -> None:
    f = run(m, secure_tenant(), context(risk_tiers={}))
    assert f.status is Status.NOT_ASSESSED


def test_without_exchange_licence_not_applicable() -> None:
    t = secure_tenant()
    t.unavailable("antiPhishPolicies", licence="Exchange Online")
    assert run(m, t).status is Status.NOT_APPLICABLE
