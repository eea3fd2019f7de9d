from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import mailbox_auditing as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("organizationConfig", True)}


def test_fail_org_and_mailbox() -> None:
    t = secure_tenant()
    t.one("organizationConfig")["AuditDisabled"] = True
    t.find("mailboxes", ExternalDirectoryObjectId="clerk")["AuditEnabled"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("organizationConfig", False), ("clerk", False)}
