from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import spam_phish_zap as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("Default", True)}


def test_fail_phish_zap_off() -> None:
    t = secure_tenant()
    t.one("hostedContentFilterPolicies")["PhishZapEnabled"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert {(o.path, o.ok) for o in f.evidence} == {
        ("PhishZapEnabled", False),
        ("SpamZapEnabled", True),
    }
    assert f.summary == "1 anti-spam policies without zero-hour auto purge"
