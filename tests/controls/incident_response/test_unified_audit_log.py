from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.incident_response import unified_audit_log as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail() -> None:
    t = secure_tenant()
    t.one("adminAuditLogConfig")["UnifiedAuditLogIngestionEnabled"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("adminAuditLogConfig", False)}
