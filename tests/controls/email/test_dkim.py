from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import dkim as m


def test_pass_initial_domain_skipped() -> None:
    t = secure_tenant()
    t.add("domains", {"id": "contoso.onmicrosoft.com"})
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == {("contoso.example", True)}


def test_fail_second_domain_unsigned() -> None:
    t = secure_tenant()
    t.add("domains", {"id": "contoso-shop.example"})
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("contoso.example", True), ("contoso-shop.example", False)}
