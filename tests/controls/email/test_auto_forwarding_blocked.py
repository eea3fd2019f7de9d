from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import auto_forwarding_blocked as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("Default", True)}


def test_fail_custom_policy_on() -> None:
    t = secure_tenant()
    t.add("outboundSpamPolicies", {"Identity": "Sales", "AutoForwardingMode": "On"})
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("Default", True), ("Sales", False)}


def test_automatic_counts_as_off() -> None:
    """Microsoft documents 'Automatic' as Off: it was reported as a failure before."""
    t = secure_tenant()
    t.one("outboundSpamPolicies")["AutoForwardingMode"] = "Automatic"
    f = run(m, t)
    assert f.status is Status.PASS
    assert pairs(f) == {("Default", True)}


def test_fail_default_remote_domain_allows_forwarding() -> None:
    """The spam policy says Off, but the remote domain '*' still allows auto-forwarding."""
    t = secure_tenant()
    t.one("remoteDomains")["AutoForwardEnabled"] = True
    t.add("remoteDomains", {"Identity": "Partner", "DomainName": "partner.example"})
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {(o.object.resource, o.object.id, o.ok) for o in f.evidence} == {
        ("outboundSpamPolicies", "Default", True),
        ("remoteDomains", "Default", False),
        ("remoteDomains", "Partner", False),
    }
    assert f.summary == "2 remote domains and 0 outbound spam policies allow automatic forwarding"


def test_not_assessed_without_remote_domains() -> None:
    t = secure_tenant()
    t.unavailable("remoteDomains", permission="Exchange.ManageAsApp")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_resource == "remoteDomains"
