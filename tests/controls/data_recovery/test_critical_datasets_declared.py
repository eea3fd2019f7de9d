from __future__ import annotations

from tests.controls.builder import context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.data_recovery import critical_datasets_declared as m


def test_pass() -> None:
    assert run(m, secure_tenant()).status is Status.PASS


def test_fail() -> None:
    f = run(m, secure_tenant(), context(critical_datasets=()))
    assert f.status is Status.FAIL
    assert pairs(f) == {("critical_datasets", False)}
