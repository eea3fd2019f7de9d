from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import sspr_registration as m


def test_pass_break_glass_exempt() -> None:
    t = secure_tenant()
    t.find("userRegistrationDetails", id="bg1")["isSsprRegistered"] = False
    assert run(m, t).status is Status.PASS


def test_fail() -> None:
    t = secure_tenant()
    t.user("temp", sspr=False)
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("temp", False)}
