from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import auto_forwarding_blocked as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("Default", True)}


def test_fail_custom_policy_on() -> None:
    t = secure_tenant()
    t.add("outboundSpamPolicies", {"Identity": "Sales", "AutoForwardingMode": "On"})
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("Default", True), ("Sales", False)}
