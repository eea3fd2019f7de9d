from __future__ import annotations

from datetime import timedelta

from tests.controls.builder import NOW, iso, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import stale_devices as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev2")["lastSyncDateTime"] = iso(NOW - timedelta(days=45))
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("dev2", False)}
