from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import safe_attachments as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail_monitor_only() -> None:
    t = secure_tenant()
    t.one("safeAttachmentPolicies")["Action"] = "Allow"
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("Built-in protection", False)}
