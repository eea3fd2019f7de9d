from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import global_admin_count as m

GA = "62e90394-69f5-4237-9190-012177145e10"


def test_pass_four() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert (GA, True) in pairs(f)


def test_fail_five_counting_eligible() -> None:
    t = secure_tenant()
    t.user("extra", skus=())
    t.role("extra", eligible=True)
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {p for p in pairs(f) if not p[1]} == {(GA, False)}
    assert f.evidence[0].observed == 5


def test_fail_one() -> None:
    t = secure_tenant()
    t.raw["roleAssignments"] = [a for a in t.raw["roleAssignments"] if a["principalId"] == "bg1"]
    t.raw["roleEligibilitySchedules"] = []
    f = run(m, t)
    assert pairs(f) == {(GA, False), ("bg1", True)}
