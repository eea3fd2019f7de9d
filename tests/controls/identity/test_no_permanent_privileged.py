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


def test_fail_standing_assignment_of_an_eligible_user() -> None:
    """Eligible and active, but the schedule says the active one is standing: permanent.

    Without the schedule instances this user passed as 'activated from eligible'.
    """
    t = secure_tenant()
    t.find("roleAssignmentSchedules", principalId="admin2").update(
        assignmentType="Assigned", endDateTime=None
    )
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin1", True), ("admin2", False)}
    assert f.summary == "1 of 2 privileged assignments are permanent"


def test_pass_time_bound_assignment_is_not_permanent() -> None:
    """A time-bound active assignment of a user who is not eligible was 'permanent' before."""
    t = secure_tenant()
    t.user("contractor", skus=())
    t.role("contractor", "194ae4cb-b126-40b2-bd5b-6091b380977d")
    t.add(
        "roleAssignmentSchedules",
        {
            "id": "sched-contractor",
            "principalId": "contractor",
            "roleDefinitionId": "194ae4cb-b126-40b2-bd5b-6091b380977d",
            "assignmentType": "Assigned",
            "endDateTime": "2026-12-31T00:00:00Z",
        },
    )
    f = run(m, t)
    assert f.status is Status.PASS
    found = {o.object.id: o.observed for o in f.evidence}
    assert found["contractor"] == "time-bound until 2026-12-31"
