from __future__ import annotations

from datetime import timedelta

from tests.controls.builder import NOW, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import break_glass_monitored as m


def test_pass_recent_attestation() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("IDN-010v1", True)}


def test_fail_stale_attestation() -> None:
    f = run(m, secure_tenant(), context(attestations={"IDN-010v1": NOW - timedelta(days=200)}))
    assert f.status is Status.FAIL
    assert pairs(f) == {("IDN-010v1", False)}


def test_never_attested_is_not_assessed_not_fail() -> None:
    f = run(m, secure_tenant(), context(attestations={}))
    assert f.status is Status.NOT_ASSESSED
    assert "Graph cannot read" in f.summary
