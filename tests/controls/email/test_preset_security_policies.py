from __future__ import annotations

from tests.controls.builder import E5_SKU, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import preset_security_policies as m

PRESET = "Standard Preset Security Policy"


def test_pass_standard_preset_applied() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(PRESET, True)}


def test_fail_preset_disabled() -> None:
    t = secure_tenant()
    t.one("eopProtectionPolicyRules")["State"] = "Disabled"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("(none)", False), (PRESET, True)}


def test_fail_enabled_rule_without_recipients_applies_to_nobody() -> None:
    t = secure_tenant()
    t.one("atpProtectionPolicyRules")["RecipientDomainIs"] = None
    f = run(m, t)
    assert f.status is Status.FAIL
    assert ("(none)", False) in pairs(f)


def test_without_defender_only_the_eop_part_is_required() -> None:
    t = secure_tenant()
    t.find("subscribedSkus", skuId=E5_SKU)["servicePlans"] = [
        {"servicePlanName": "EXCHANGE_S_ENTERPRISE"}
    ]
    t.unavailable("atpProtectionPolicyRules", licence="Microsoft Defender for Office 365")
    f = run(m, t)
    assert f.status is Status.PASS
    assert {o.object.resource for o in f.evidence} == {"eopProtectionPolicyRules"}
