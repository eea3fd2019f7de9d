from __future__ import annotations

from tests.controls.builder import context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import break_glass_excluded as m


def test_pass_every_policy_excludes_the_group() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert all(ok for _, ok in pairs(f))


def test_fail_policy_without_exclusion() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="block-legacy")["conditions"]["users"][
        "excludeGroups"
    ] = []
    f = run(m, t)
    assert f.status is Status.FAIL
    assert ("block-legacy", False) in pairs(f)
    assert {p for p in pairs(f) if not p[1]} == {("block-legacy", False)}


def test_not_assessed_without_declared_accounts() -> None:
    f = run(m, secure_tenant(), context(break_glass_accounts=()))
    assert f.status is Status.NOT_ASSESSED
