from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.controls.builder import NOW, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.governance import monthly_review as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("monthly_operational", True)}


def test_fail_late_and_never() -> None:
    facts = context().governance
    assert facts is not None
    late = replace(facts, reviews_held={"monthly_operational": NOW - timedelta(days=45)})
    assert pairs(run(m, secure_tenant(), context(governance=late))) == {
        ("monthly_operational", False)
    }
    never = replace(facts, reviews_held={})
    f = run(m, secure_tenant(), context(governance=never))
    assert f.status is Status.FAIL
    assert f.summary == "no monthly operational review held"
