from __future__ import annotations

from tests.controls.builder import E5_SKU, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import admins_no_mailbox as m


def test_pass_admins_hold_p2_only() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail_admin_with_e5() -> None:
    t = secure_tenant()
    t.find("users", id="admin1")["assignedLicenses"].append({"skuId": E5_SKU})
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("admin1", False)}
    assert f.evidence[0].observed == ["SPE_E5"]
