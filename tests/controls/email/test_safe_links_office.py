from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import safe_links_office as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("Built-in protection", True)}


def test_fail_office_apps_not_covered() -> None:
    t = secure_tenant()
    t.one("safeLinksPolicies")["EnableSafeLinksForOffice"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("Built-in protection", True), ("Built-in protection", False)}


def test_fail_no_policy() -> None:
    t = secure_tenant()
    t.raw["safeLinksPolicies"] = []
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("(none)", False)}
