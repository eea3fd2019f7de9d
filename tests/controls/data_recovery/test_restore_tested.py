from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.controls.builder import NOW, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.data_recovery import restore_tested as m


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("finance-share", True)}


def test_fail_old_test_and_untested_dataset() -> None:
    ctx = context()
    assert ctx.restore_tests is not None
    old = replace(ctx.restore_tests[0], tested_at=NOW - timedelta(days=200))
    failed = replace(ctx.restore_tests[0], dataset="mailboxes", succeeded=False)
    ctx = context(restore_tests=(old, failed), critical_datasets=("finance-share", "mailboxes"))
    f = run(m, secure_tenant(), ctx)
    assert f.status is Status.FAIL
    assert pairs(f) == {("finance-share", False), ("mailboxes", False)}


def test_none_recorded_is_not_assessed_never_fail() -> None:
    assert run(m, secure_tenant(), context(restore_tests=())).status is Status.NOT_ASSESSED
    assert run(m, secure_tenant(), context(restore_tests=None)).status is Status.NOT_ASSESSED
