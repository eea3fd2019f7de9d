from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cosec.config import Person, Role
from cosec.governance.changes import (
    ChangeRecord,
    ChangeState,
    check_baseline_adoption,
    check_change_approval,
    check_close,
    check_drift_acceptance,
    check_objects,
    check_window,
)
from cosec.governance.decisions import Refused

T0 = datetime(2026, 11, 10, 18, tzinfo=UTC)
ALEX = Person(id="alex", name="A", party="internal", roles=(Role.CHANGE_APPROVER,))
JORDAN = Person(id="jordan", name="J", party="partner", roles=(Role.ENGINEER,))
KEY = "conditionalAccessPolicies/p1"


def _change(state: ChangeState = ChangeState.APPROVED, requester: str = "jordan") -> ChangeRecord:
    return ChangeRecord(
        id="CHG-0001",
        tenant="main",
        title="Exclude scanner",
        objects=(KEY,),
        window_start=T0,
        window_end=T0 + timedelta(hours=2),
        requester=requester,
        requester_party="partner",
        approver="alex",
        approved_at=T0 - timedelta(days=1),
        state=state,
        opened_at=T0 - timedelta(days=2),
    )


def test_covers_only_approved_changes_on_named_objects_within_window() -> None:
    c = _change()
    inside = T0 + timedelta(minutes=30)
    assert c.covers(KEY, inside, inside)
    assert not c.covers("conditionalAccessPolicies/p2", inside, inside)
    late = T0 + timedelta(hours=3)
    assert not c.covers(KEY, late, late)
    # unknown exact time: the interval between observations meets the window
    assert c.covers(KEY, T0 - timedelta(days=3), T0 + timedelta(days=1))
    assert not c.covers(KEY, T0 + timedelta(hours=3), T0 + timedelta(days=1))
    assert not _change(ChangeState.OPEN).covers(KEY, inside, inside)
    assert not _change(ChangeState.CLOSED).covers(KEY, inside, inside)


def test_objects_must_be_tracked_resource_keys() -> None:
    assert check_objects([KEY, KEY]) == (KEY,)
    with pytest.raises(Refused, match="not RESOURCE/OBJECT-ID"):
        check_objects(["users/u1"])
    with pytest.raises(Refused):
        check_objects(["conditionalAccessPolicies/"])
    with pytest.raises(Refused, match="must name"):
        check_objects([])
    with pytest.raises(Refused, match="end after"):
        check_window(T0, T0)


def test_change_approval_separation_of_duties() -> None:
    check_change_approval(_change(ChangeState.OPEN), ALEX)
    with pytest.raises(Refused) as own:
        check_change_approval(_change(ChangeState.OPEN, requester="alex"), ALEX)
    assert own.value.kind == "self_approval"
    with pytest.raises(Refused) as role:
        check_change_approval(_change(ChangeState.OPEN), JORDAN)
    assert role.value.kind == "role"
    with pytest.raises(Refused):
        check_change_approval(_change(ChangeState.APPROVED), ALEX)


def test_close_by_requester_or_approver_once_approved() -> None:
    check_close(_change(), JORDAN)
    check_close(_change(requester="casey"), ALEX)
    other = Person(id="casey", name="C", party="partner", roles=(Role.ANALYST,))
    with pytest.raises(Refused):
        check_close(_change(), other)
    with pytest.raises(Refused):
        check_close(_change(ChangeState.OPEN), JORDAN)


def test_drift_acceptance_and_adoption_need_a_change_approver() -> None:
    check_drift_acceptance(ALEX)
    with pytest.raises(Refused):
        check_drift_acceptance(JORDAN)
    check_baseline_adoption(ALEX, ["conditionalAccessPolicies"])
    with pytest.raises(Refused) as again:
        check_baseline_adoption(ALEX, [])
    assert again.value.kind == "baseline_exists"
