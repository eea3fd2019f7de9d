from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import mailbox_forwarding_external as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail_external_smtp_forward_only() -> None:
    t = secure_tenant()
    t.find("mailboxes", ExternalDirectoryObjectId="ceo")["ForwardingSmtpAddress"] = (
        "smtp:me@gmail.example"
    )
    t.find("mailboxes", ExternalDirectoryObjectId="clerk")["ForwardingSmtpAddress"] = (
        "smtp:ceo@contoso.example"
    )
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("ceo", False)}
