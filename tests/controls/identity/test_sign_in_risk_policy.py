from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import sign_in_risk_policy as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("sign-in-risk", True)}


def test_fail_only_medium_risk_covered() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="sign-in-risk")["conditions"]["signInRiskLevels"] = [
        "medium"
    ]
    f = run(m, t)
    assert pairs(f) == {("admin1", False), ("admin2", False), ("ceo", False), ("clerk", False)}


def test_not_applicable_without_p2() -> None:
    t = secure_tenant()
    for sku in t.raw["subscribedSkus"]:
        sku["servicePlans"] = [
            p for p in sku["servicePlans"] if p["servicePlanName"] != "AAD_PREMIUM_P2"
        ]
    f = run(m, t)
    assert f.status is Status.NOT_APPLICABLE
    assert f.missing_licence == "Microsoft Entra ID P2"
