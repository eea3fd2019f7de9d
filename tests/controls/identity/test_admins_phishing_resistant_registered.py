from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import admins_phishing_resistant_registered as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("bg1", True), ("bg2", True), ("admin1", True), ("admin2", True)}


def test_fail_push_only_admin() -> None:
    t = secure_tenant()
    t.find("userRegistrationDetails", id="admin2")["methodsRegistered"] = [
        "microsoftAuthenticatorPush"
    ]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert ("admin2", False) in pairs(f)
    assert {p for p in pairs(f) if not p[1]} == {("admin2", False)}
