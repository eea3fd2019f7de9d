from __future__ import annotations

from tests.controls.builder import DOMAIN, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import break_glass_present as m


def test_pass_two_ready_accounts() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert ("break_glass_accounts", True) in pairs(f)


def test_fail_one_disabled_one_missing_none_declared() -> None:
    t = secure_tenant()
    t.find("users", id="bg2")["accountEnabled"] = False
    ctx = context(break_glass_accounts=(f"bg2@{DOMAIN}", f"nobody@{DOMAIN}"))
    f = run(m, t, ctx)
    assert f.status is Status.FAIL
    assert {p for p in pairs(f) if not p[1]} == {("bg2", False), (f"nobody@{DOMAIN}", False)}
    f = run(m, t, context(break_glass_accounts=()))
    assert pairs(f) == {("break_glass_accounts", False)}
