from __future__ import annotations

from tests.controls.builder import context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import os_patch_baseline as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert "4 of 4" in f.summary


def test_fail_old_windows_and_unreadable_android() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev0")["osVersion"] = "10.0.22631.4000"
    t.find("managedDevices", id="dev3")["osVersion"] = "Os Version value"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("dev0", False), ("dev3", False)}


def test_no_baseline_not_assessed() -> None:
    assert run(m, secure_tenant(), context(patch_baseline={})).status is Status.NOT_ASSESSED
