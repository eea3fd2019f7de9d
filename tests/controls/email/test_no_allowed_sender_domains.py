from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import no_allowed_sender_domains as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("Default", True)}


def test_fail() -> None:
    t = secure_tenant()
    t.one("hostedContentFilterPolicies")["AllowedSenderDomains"] = ["vendor.example"]
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("Default", False)}


def test_not_assessed_without_permission() -> None:
    t = secure_tenant()
    t.unavailable("hostedContentFilterPolicies", permission="Exchange.ManageAsApp")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_resource == "hostedContentFilterPolicies"
