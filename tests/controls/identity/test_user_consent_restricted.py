from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import user_consent_restricted as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("authorizationPolicy", True)}


def test_fail_low_risk_consent_still_user_consent() -> None:
    t = secure_tenant()
    t.one("authorizationPolicy")["defaultUserRolePermissions"][
        "permissionGrantPoliciesAssigned"
    ] = ["ManagePermissionGrantsForSelf.microsoft-user-default-low"]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("authorizationPolicy", False)}


def test_unreadable_policy_not_assessed() -> None:
    t = secure_tenant()
    t.unavailable("authorizationPolicy", permission="Policy.Read.All")
    assert run(m, t).status is Status.NOT_ASSESSED
