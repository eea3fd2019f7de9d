from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import mailbox_intelligence as m

DEFAULT = "Office365 AntiPhish Default"


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(DEFAULT, True)}


def test_fail_protection_action_off() -> None:
    t = secure_tenant()
    t.one("antiPhishPolicies")["EnableMailboxIntelligenceProtection"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {(DEFAULT, True), (DEFAULT, False)}
