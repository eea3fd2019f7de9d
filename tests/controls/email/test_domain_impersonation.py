from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import domain_impersonation as m

DEFAULT = "Office365 AntiPhish Default"


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {(DEFAULT, True)}


def test_fail_off_and_no_policy() -> None:
    t = secure_tenant()
    t.one("antiPhishPolicies")["EnableOrganizationDomainsProtection"] = False
    assert pairs(run(m, t)) == {(DEFAULT, False)}
    t.raw["antiPhishPolicies"] = []
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("(none)", False)}
