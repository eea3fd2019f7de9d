from __future__ import annotations

from dataclasses import replace

from tests.controls.builder import context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.governance import no_expired_exceptions as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail() -> None:
    facts = context().governance
    assert facts is not None
    ctx = context(governance=replace(facts, expired_exceptions_relied_on=("EXC-7",)))
    f = run(m, secure_tenant(), ctx)
    assert f.status is Status.FAIL
    assert pairs(f) == {("EXC-7", False)}
