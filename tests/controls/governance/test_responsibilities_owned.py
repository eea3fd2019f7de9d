from __future__ import annotations

from dataclasses import replace

from tests.controls.builder import context, owners, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.governance import responsibilities_owned as m
from cosec.model.governance import ControlArea


def test_pass() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert len(pairs(f)) == 32


def test_fail_unowned_and_ambiguous_cells() -> None:
    own = owners()
    own[ControlArea.AWARENESS] = replace(own[ControlArea.AWARENESS], respond=None)
    facts = context().governance
    assert facts is not None
    ctx = context(owners=own, governance=replace(facts, unowned_cells=("email/monitor",)))
    f = run(m, secure_tenant(), ctx)
    assert f.status is Status.FAIL
    assert {p for p in pairs(f) if not p[1]} == {
        ("awareness/respond", False),
        ("email/monitor", False),
    }
