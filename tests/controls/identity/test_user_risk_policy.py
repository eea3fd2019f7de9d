from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import user_risk_policy as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("user-risk", True)}


def test_fail_mfa_alone_does_not_remediate() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="user-risk")["grantControls"]["builtInControls"] = [
        "mfa"
    ]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin1", False), ("admin2", False), ("ceo", False), ("clerk", False)}
