from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import weak_methods_disabled as m

PREFIX = "authenticationMethodsPolicy/"


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(PREFIX + "Sms", True), (PREFIX + "Voice", True), (PREFIX + "Email", True)}


def test_fail_sms_enabled() -> None:
    t = secure_tenant()
    for cfg in t.one("authenticationMethodsPolicy")["authenticationMethodConfigurations"]:
        if cfg["id"] == "Sms":
            cfg["state"] = "enabled"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {(PREFIX + "Sms", False), (PREFIX + "Voice", True), (PREFIX + "Email", True)}
