from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import safe_links as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("Built-in protection", True)}


def test_fail_click_through_allowed() -> None:
    t = secure_tenant()
    t.one("safeLinksPolicies")["AllowClickThrough"] = True
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("Built-in protection", True), ("Built-in protection", False)}


def test_without_mdo_not_applicable() -> None:
    t = secure_tenant()
    for sku in t.raw["subscribedSkus"]:
        sku["servicePlans"] = [
            p
            for p in sku["servicePlans"]
            if p["servicePlanName"] not in ("ATP_ENTERPRISE", "THREAT_INTELLIGENCE")
        ]
    f = run(m, t)
    assert f.status is Status.NOT_APPLICABLE
    assert f.missing_licence == "Microsoft Defender for Office 365"
