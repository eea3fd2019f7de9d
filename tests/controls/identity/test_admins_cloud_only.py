from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import admins_cloud_only as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS


def test_fail_synced_admin() -> None:
    t = secure_tenant()
    t.find("users", id="admin2")["onPremisesSyncEnabled"] = True
    t.find("users", id="ceo")["onPremisesSyncEnabled"] = True  # not an admin: irrelevant
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin2", False)}
