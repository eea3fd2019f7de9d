from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import device_registration_mfa as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert all(ok for _, ok in pairs(f)) and pairs(f)


def test_fail() -> None:
    t = secure_tenant()
    t.one("deviceRegistrationPolicy")["multiFactorAuthConfiguration"] = "notRequired"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("deviceRegistrationPolicy", False)}


def test_not_assessed_without_permission() -> None:
    t = secure_tenant()
    t.unavailable("deviceRegistrationPolicy", permission="Policy.Read.All")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_resource == "deviceRegistrationPolicy"


def test_pass_by_conditional_access_user_action() -> None:
    t = secure_tenant()
    t.one("deviceRegistrationPolicy")["multiFactorAuthConfiguration"] = "notRequired"
    t.ca(
        "register-devices",
        conditions__applications={
            "includeApplications": [],
            "excludeApplications": [],
            "includeUserActions": ["urn:user:registerdevice"],
        },
    )
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == {("deviceRegistrationPolicy", True), ("register-devices", True)}
