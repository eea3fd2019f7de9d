"""Assessment runs stored and read back on SQLite and PostgreSQL; run-to-run changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from tests.controls.builder import NOW, context, grant, secure_tenant

from cosec.controls.base import Status
from cosec.controls.catalog import load_catalog
from cosec.controls.engine import evaluate
from cosec.controls.finding import Finding
from cosec.controls.run import AssessmentRun, Change, compare
from cosec.errors import ConfigError, NotFoundError
from cosec.model.view import TenantView
from cosec.store import assessments as repo
from cosec.store.engine import Store


def test_run_round_trips_every_finding(store: Store) -> None:
    snap = secure_tenant().snapshot()
    with store.session() as s:
        run = repo.run_assessment(s, snap, context())
        assert run.id is not None
    with store.session() as s:
        back = repo.latest_run(s, "main")
    assert back is not None
    assert back.id == run.id
    assert back.findings == run.findings  # evidence, owners, everything
    assert back.counts["pass"] == len(load_catalog()) - 1


def test_compare_with_previous_run(store: Store) -> None:
    t = secure_tenant()
    with store.session() as s:
        first = repo.run_assessment(s, t.snapshot(), context())
    t.one("authorizationPolicy")["allowInvitesFrom"] = "everyone"  # IDN-016 regresses
    t.one("authorizationPolicy")["allowedToUseSSPR"] = False  # IDN-019 regresses
    with store.session() as s:
        second = repo.run_assessment(s, t.snapshot(), context(now=NOW + timedelta(days=1)))
    t.one("authorizationPolicy")["allowedToUseSSPR"] = True  # IDN-019 resolved
    ctx = context(now=NOW + timedelta(days=2), exceptions=(grant("IDN-016v1"),))
    with store.session() as s:
        third = repo.run_assessment(s, t.snapshot(), ctx)
        assert repo.previous_run(s, third) == second
        assert repo.previous_run(s, first) is None
        assert [r[0] for r in repo.list_runs(s, "main")] == [first.id, second.id, third.id]
    diff = compare(first, second)
    assert diff.of(Change.REGRESSED) == ("IDN-016v1", "IDN-019v1")
    diff = compare(second, third)
    assert diff.of(Change.RESOLVED) == ("IDN-019v1",)
    assert diff.of(Change.NEWLY_ACCEPTED) == ("IDN-016v1",)
    assert compare(None, second).of(Change.NEW_FAILURE) == ("IDN-016v1", "IDN-019v1")
    assert compare(second, second).of(Change.STILL_FAILING) == ("IDN-016v1", "IDN-019v1")


def test_renamed_control_keeps_history() -> None:
    base = AssessmentRun("main", None, NOW, NOW, ())
    f = replace(_one_finding(), status=Status.FAIL)
    old = replace(base, findings=(replace(f, control_id="IDN-900v1"),))
    new = replace(base, findings=(f,))
    diff = compare(old, new, {"IDN-900v1": f.control_id})
    assert diff.of(Change.STILL_FAILING) == (f.control_id,)


def _one_finding() -> Finding:
    return evaluate(load_catalog()[0], TenantView(secure_tenant().snapshot()), context())


def test_unknown_run_and_tenant(store: Store) -> None:
    with store.session() as s:
        assert repo.latest_run(s, "nobody") is None
        with pytest.raises(NotFoundError):
            repo.get_run(s, 999)


def test_attestations_latest_wins_and_bad_input_is_refused(store: Store) -> None:
    with store.session() as s:
        repo.attest(s, tenant="main", control_id="IDN-010v1", at=NOW, actor="alex", note="tested")
        later = NOW + timedelta(days=1)
        repo.attest(
            s, tenant="main", control_id="IDN-010v1", at=later, actor="jordan", note="again"
        )
        with pytest.raises(NotFoundError, match="no control"):
            repo.attest(s, tenant="main", control_id="NOPE-1", at=NOW, actor="alex", note="x")
        with pytest.raises(ConfigError, match="note"):
            repo.attest(s, tenant="main", control_id="IDN-010v1", at=NOW, actor="alex", note=" ")
    with store.session() as s:
        assert repo.attestations(s, "main") == {"IDN-010v1": later}
        assert repo.attestations(s, "other") == {}
