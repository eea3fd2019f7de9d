from __future__ import annotations

from datetime import timedelta

from tests.controls.builder import NOW, iso, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.incident_response import risky_users_resolved as m


def test_pass_low_risk_ignored() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == set()


def test_fail_high_risk_open_for_ten_days() -> None:
    t = secure_tenant()
    r = t.one("riskyUsers")
    r["riskLevel"] = "high"
    r["riskLastUpdatedDateTime"] = iso(NOW - timedelta(days=10))
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("clerk", False)}


def test_documented_placeholders_do_not_crash() -> None:
    t = secure_tenant()
    t.raw["riskyUsers"] = [
        {
            "id": "x",
            "riskLevel": "String",
            "riskState": "String",
            "riskLastUpdatedDateTime": "String (timestamp)",
        }
    ]
    assert run(m, t).status is Status.PASS
