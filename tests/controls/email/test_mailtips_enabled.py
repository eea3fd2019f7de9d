from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import mailtips_enabled as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert all(ok for _, ok in pairs(f)) and pairs(f)


def test_fail() -> None:
    t = secure_tenant()
    t.one("organizationConfig")["MailTipsExternalRecipientsTipsEnabled"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("contoso", False), ("contoso", True)}


def test_not_assessed_without_permission() -> None:
    t = secure_tenant()
    t.unavailable("organizationConfig", permission="Policy.Read.All")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_resource == "organizationConfig"
