from __future__ import annotations

from tests.controls.builder import context, grant, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import inbox_rules_external as m


def _rule(rid: str, address: str, enabled: bool = True) -> dict[str, object]:
    return {
        "id": rid,
        "displayName": "fwd",
        "isEnabled": enabled,
        "actions": {"forwardTo": [{"emailAddress": {"name": "x", "address": address}}]},
    }


def test_pass_internal_forward_only() -> None:
    t = secure_tenant()
    t.child("messageRules", "ceo", _rule("r1", "clerk@contoso.example"))
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == set()


def test_fail_external_forward_then_accepted() -> None:
    t = secure_tenant()
    t.child("messageRules", "clerk", _rule("r2", "drop@evil.example"))
    t.child("messageRules", "clerk", _rule("r3", "old@evil.example", enabled=False))
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("clerk/r2", False)}
    f = run(m, t, context(exceptions=(grant("EML-006v1", "clerk/r2"),)))
    assert f.status is Status.ACCEPTED


def test_unreadable_rules_not_assessed() -> None:
    t = secure_tenant()
    t.unavailable("messageRules", permission="MailboxSettings.Read")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_permission == "MailboxSettings.Read"
