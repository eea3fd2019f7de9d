from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.email import external_sender_tagging as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("ExternalInOutlook", True)}


def test_fail() -> None:
    t = secure_tenant()
    t.one("externalInOutlook")["Enabled"] = False
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("ExternalInOutlook", False)}


def test_not_assessed_without_permission() -> None:
    t = secure_tenant()
    t.unavailable("externalInOutlook", permission="Exchange.ManageAsApp")
    f = run(m, t)
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_resource == "externalInOutlook"
