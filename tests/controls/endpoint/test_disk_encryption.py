from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import disk_encryption as m


def test_pass_phones_not_judged() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev3")["isEncrypted"] = False
    assert run(m, t).status is Status.PASS


def test_fail() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev1")["isEncrypted"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("dev1", False)}
