from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import guest_access_restricted as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail_member_level_access() -> None:
    t = secure_tenant()
    t.one("authorizationPolicy")["guestUserRoleId"] = "a0b1b346-4d3e-4e8b-98f8-753987be4970"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("authorizationPolicy", False)}
