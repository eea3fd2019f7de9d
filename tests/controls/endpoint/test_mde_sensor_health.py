from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import mde_sensor_health as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail_inactive_sensor() -> None:
    t = secure_tenant()
    t.find("mdeMachines", id="mde1")["healthStatus"] = "ImpairedCommunication"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("mde1", False)}
