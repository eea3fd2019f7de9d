from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import guests_mfa as m


def test_pass_guest_covered_by_all_users_policy() -> None:
    t = secure_tenant()
    t.user("partnerguy", guest=True)
    assert run(m, t).status is Status.PASS


def test_fail_guests_excluded() -> None:
    t = secure_tenant()
    t.user("partnerguy", guest=True)
    for p in t.raw["conditionalAccessPolicies"]:
        p["conditions"]["users"]["excludeUsers"] = ["GuestsOrExternalUsers"]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {p for p in pairs(f) if not p[1]} == {("partnerguy", False)}
