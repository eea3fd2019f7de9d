from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import legacy_auth_blocked as m


def test_pass_block_policy_for_all() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("block-legacy", True)}


def test_fail_policy_only_report_only() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="block-legacy")["state"] = (
        "enabledForReportingButNotEnforced"
    )
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin1", False), ("admin2", False), ("ceo", False), ("clerk", False)}


def test_fail_policy_missing_other_clients() -> None:
    t = secure_tenant()
    t.find("conditionalAccessPolicies", id="block-legacy")["conditions"]["clientAppTypes"] = [
        "exchangeActiveSync"
    ]
    assert run(m, t).status is Status.FAIL
