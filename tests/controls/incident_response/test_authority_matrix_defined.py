from __future__ import annotations

from dataclasses import replace

from tests.controls.builder import context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.incident_response import authority_matrix_defined as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail() -> None:
    facts = context().governance
    assert facts is not None
    f = run(m, secure_tenant(), context(governance=replace(facts, authority_matrix_defined=False)))
    assert f.status is Status.FAIL
    assert pairs(f) == {("authority_matrix", False)}
