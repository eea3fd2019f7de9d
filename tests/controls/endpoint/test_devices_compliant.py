from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import devices_compliant as m


def test_pass_grace_period_counts() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev2")["complianceState"] = "inGracePeriod"
    assert run(m, t).status is Status.PASS


def test_fail_noncompliant_and_unknown() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev0")["complianceState"] = "noncompliant"
    t.find("managedDevices", id="dev3")["complianceState"] = "unknown"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("dev0", False), ("dev3", False)}
