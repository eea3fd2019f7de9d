from __future__ import annotations

from tests.controls.builder import context, grant, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import no_permanent_privileged as m


def test_pass_admins_activated_break_glass_exempt() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("admin1", True), ("admin2", True)}


def test_fail_permanent_user_admin_then_accepted() -> None:
    t = secure_tenant()
    t.user("svc", skus=())
    t.role("svc", "fe930be7-5e62-47db-91af-98c3a49a38b1")
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin1", True), ("admin2", True), ("svc", False)}
    f = run(m, t, context(exceptions=(grant("IDN-012v1", "svc"),)))
    assert f.status is Status.ACCEPTED


def test_not_applicable_without_pim() -> None:
    t = secure_tenant()
    t.unavailable("roleEligibilitySchedules", licence="Microsoft Entra ID P2")
    assert run(m, t).status is Status.NOT_APPLICABLE
