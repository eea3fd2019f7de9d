from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.controls.builder import NOW, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.data_recovery import restore_time_within_target as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("finance-share", True)}


def test_fail_latest_test_too_slow() -> None:
    base = context().restore_tests
    assert base is not None
    slow = replace(base[0], tested_at=NOW - timedelta(days=1), time_to_restore=timedelta(hours=9))
    f = run(m, secure_tenant(), context(restore_tests=(base[0], slow)))
    assert f.status is Status.FAIL
    assert pairs(f) == {("finance-share", False)}


def test_untimed_tests_not_assessed() -> None:
    base = context().restore_tests
    assert base is not None
    untimed = replace(base[0], time_to_restore=None)
    assert run(m, secure_tenant(), context(restore_tests=(untimed,))).status is Status.NOT_ASSESSED
