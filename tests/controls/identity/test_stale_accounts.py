from __future__ import annotations

from datetime import timedelta

from tests.controls.builder import NOW, iso, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import stale_accounts as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == set()


def test_fail_old_sign_in_and_never_signed_in_old_account() -> None:
    t = secure_tenant()
    t.user("leaver", last_sign_in=NOW - timedelta(days=200))
    old = t.user("unused")
    del old["signInActivity"]
    new = t.user("newbie")
    del new["signInActivity"]
    new["createdDateTime"] = iso(NOW - timedelta(days=3))
    t.user("disabled", enabled=False, last_sign_in=NOW - timedelta(days=300))
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("leaver", False), ("unused", False)}


def test_no_sign_in_activity_at_all_is_not_assessed() -> None:
    t = secure_tenant()
    for u in t.raw["users"]:
        del u["signInActivity"]
    assert run(m, t).status is Status.NOT_ASSESSED
