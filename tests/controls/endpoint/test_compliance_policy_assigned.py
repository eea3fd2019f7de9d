from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import compliance_policy_assigned as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert {ok for _, ok in pairs(f)} == {True}


def test_fail_unassigned_policy_leaves_platform_uncovered() -> None:
    t = secure_tenant()
    t.find("deviceCompliancePolicies", id="pol-macOS")["assignments"] = []
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {p for p in pairs(f) if not p[1]} == {("pol-macOS", False), ("platform:macOS", False)}
