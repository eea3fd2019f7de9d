from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.controls.builder import NOW, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.governance import quarterly_review as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail() -> None:
    facts = context().governance
    assert facts is not None
    late = replace(facts, reviews_held={"quarterly_executive": NOW - timedelta(days=120)})
    f = run(m, secure_tenant(), context(governance=late))
    assert f.status is Status.FAIL
    assert pairs(f) == {("quarterly_executive", False)}
