from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import mailbox_intelligence as m

DEFAULT = "Office365 AntiPhish Default"


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(DEFAULT, True)}


def test_fail_protection_action_off() -> None:
    t = secure_tenant()
    t.one("antiPhishPolicies")["EnableMailboxIntelligenceProtection"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {(DEFAULT, True), (DEFAULT, False)}


def test_preset_policy_counts_as_in_force() -> None:
    """A tenant protected only by the Standard preset was reported unprotected."""
    t = secure_tenant()
    t.raw["antiPhishPolicies"] = [
        {
            "Identity": "Standard Preset Security Policy3",
            "IsDefault": False,
            "Enabled": True,
            "EnableMailboxIntelligence": True,
            "EnableMailboxIntelligenceProtection": True,
        }
    ]
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == {("Standard Preset Security Policy3", True)}
    t.one("atpProtectionPolicyRules")["State"] = "Disabled"
    t.one("eopProtectionPolicyRules")["State"] = "Disabled"
    assert run(m, t).status is Status.FAIL
