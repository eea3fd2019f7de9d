from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import mfa_registration as m


def test_pass_everyone_registered() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == set()


def test_fail_unregistered_and_missing_record() -> None:
    t = secure_tenant()
    t.user("newhire", methods=())
    t.user("ghost")
    t.raw["userRegistrationDetails"] = [
        r for r in t.raw["userRegistrationDetails"] if r["id"] != "ghost"
    ]
    t.user("leaver", methods=(), enabled=False)
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("newhire", False), ("ghost", False)}


def test_not_applicable_without_p1() -> None:
    t = secure_tenant()
    t.unavailable("userRegistrationDetails", licence="Microsoft Entra ID P1")
    assert run(m, t).status is Status.NOT_APPLICABLE
