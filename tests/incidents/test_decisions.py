"""Authority matrix, on-call, lifecycle, action plans and response times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cosec.config import (
    Authority,
    Person,
    ResponseAction,
    Role,
    Severity,
    Workspace,
    parse_workspace,
)
from cosec.errors import ConfigError
from cosec.incidents import actions, authority, lifecycle, oncall, timeline
from cosec.incidents.lifecycle import IncidentError, IncidentStatus
from cosec.incidents.timeline import EntryKind, TimelineEntry
from cosec.incidents.types import incident_type_for

A = ResponseAction
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # a Friday
H = timedelta(hours=1)

WS = """
version: 1
organisation: {name: Contoso, timezone: Europe/London, business_hours: "08:00-18:00"}
people:
  - {id: alex, name: Alex, party: internal, roles: [it_lead, risk_owner]}
  - {id: sam, name: Sam, party: internal, roles: [executive]}
  - {id: jordan, name: Jordan, party: partner, roles: [analyst, on_call, responder]}
  - {id: casey, name: Casey, party: partner, roles: [analyst, responder]}
  - {id: pat, name: Pat, party: partner, roles: [analyst]}
incident_response:
  on_call:
    business_hours: {partner: [casey]}
"""


@pytest.fixture
def ws() -> Workspace:
    return parse_workspace(WS)


def decide(
    ws: Workspace, who: str, action: A, sev: Severity, on_call: bool = False
) -> authority.AuthorityDecision:
    return authority.decide(
        ws.incident_response.authority, ws.person(who), action, sev, on_call=on_call
    )


def test_default_matrix(ws: Workspace) -> None:
    assert decide(ws, "alex", A.DISABLE_ACCOUNT, Severity.LOW).authority is Authority.ALLOWED
    assert decide(ws, "casey", A.REVOKE_SESSIONS, Severity.LOW).authority is Authority.ALLOWED
    need = decide(ws, "casey", A.DISABLE_ACCOUNT, Severity.HIGH)
    assert need.authority is Authority.SECOND_APPROVER and not need.may_act_now
    emergency = decide(ws, "casey", A.DISABLE_ACCOUNT, Severity.HIGH, on_call=True)
    assert emergency.emergency and emergency.may_act_now
    low = decide(ws, "casey", A.DISABLE_ACCOUNT, Severity.LOW, on_call=True)
    assert low.authority is Authority.SECOND_APPROVER and not low.emergency
    assert decide(ws, "sam", A.REVOKE_SESSIONS, Severity.HIGH).authority is Authority.FORBIDDEN
    pat = decide(ws, "pat", A.REVOKE_SESSIONS, Severity.HIGH)
    assert pat.authority is Authority.FORBIDDEN and "not granted" in pat.reason


def test_forbidden_wins() -> None:
    ws = parse_workspace(
        WS
        + """
  authority:
    - {role: analyst, actions: [revoke_sessions], decision: allowed}
    - {role: analyst, party: partner, actions: [revoke_sessions], severities: [critical],
       decision: forbidden}
"""
    )
    assert decide(ws, "pat", A.REVOKE_SESSIONS, Severity.HIGH).authority is Authority.ALLOWED
    assert decide(ws, "pat", A.REVOKE_SESSIONS, Severity.CRITICAL).authority is Authority.FORBIDDEN


def test_matrix_config_errors_are_located() -> None:
    with pytest.raises(ConfigError, match=r"incident_response\.authority\[0\]\.actions"):
        parse_workspace(
            WS + "  authority:\n    - {role: analyst, actions: [nuke], decision: allowed}\n"
        )


def test_overdue_approval() -> None:
    due = authority.approval_due(T0, 4 * H)
    assert not authority.is_overdue(due, None, T0 + 3 * H)
    assert authority.is_overdue(due, None, T0 + 5 * H)
    assert not authority.is_overdue(due, T0 + 2 * H, T0 + 5 * H)


def test_on_call_roster_and_after_hours(ws: Workspace) -> None:
    assert oncall.in_business_hours(ws.organisation, T0)
    assert not oncall.in_business_hours(ws.organisation, T0 + 10 * H)  # 19:00 London
    assert not oncall.in_business_hours(ws.organisation, T0 + 24 * H)  # Saturday
    now = oncall.on_call(ws, T0)
    assert [p.id for p in now["partner"]] == ["casey"]
    night = oncall.on_call(ws, T0 + 12 * H)
    assert [p.id for p in night["partner"]] == ["jordan"]  # fallback: holders of on_call
    assert night["internal"] == ()
    assert oncall.is_on_call(ws, ws.person("casey"), T0)
    assert not oncall.is_on_call(ws, ws.person("casey"), T0 + 12 * H)


def test_lifecycle_forward_only_and_checklist() -> None:
    with pytest.raises(IncidentError, match="not checked off"):
        lifecycle.advance(IncidentStatus.OPEN, IncidentStatus.CONTAINED, [True, False])
    assert (
        lifecycle.advance(IncidentStatus.OPEN, IncidentStatus.CONTAINED, [True, True])
        is IncidentStatus.CONTAINED
    )
    with pytest.raises(IncidentError, match="cannot move back"):
        lifecycle.advance(IncidentStatus.CONTAINED, IncidentStatus.OPEN, [True])
    # closing straight from open (e.g. a false positive) needs no containment
    assert lifecycle.advance(IncidentStatus.OPEN, IncidentStatus.CLOSED, [False]) is (
        IncidentStatus.CLOSED
    )


def test_action_targets_and_plans() -> None:
    with pytest.raises(ConfigError, match="remove_inbox_rule needs rule"):
        actions.validate(A.REMOVE_INBOX_RULE, actions.ActionTarget(user="a@b.c"))
    steps = actions.plan(A.REVOKE_SESSIONS, actions.ActionTarget(user="a@b.c"))
    assert steps[1] == "POST /v1.0/users/a@b.c/revokeSignInSessions"
    for action in A:
        target = actions.ActionTarget(user="u", rule="r", device="d", assignment="g")
        steps = actions.plan(action, target)
        assert len(steps) >= 3  # read before, change, read after


def test_response_times() -> None:
    entries = [
        TimelineEntry(T0, EntryKind.EVENT, "-", "first event"),
        TimelineEntry(T0 + H, EntryKind.DETECTION, "-", "alert"),
        TimelineEntry(T0 + 2 * H, EntryKind.TRIAGE, "casey", "triage"),
        TimelineEntry(T0 + 3 * H, EntryKind.DECLARATION, "jordan", "declared"),
        TimelineEntry(T0 + 5 * H, EntryKind.STATUS, "jordan", "c", {"status": "contained"}),
        TimelineEntry(T0 + 9 * H, EntryKind.STATUS, "jordan", "c", {"status": "closed"}),
    ]
    times = timeline.response_times(entries)
    assert times.time_to_detect == H
    assert times.time_to_acknowledge == H
    assert times.time_to_contain == 4 * H
    assert times.time_to_recover == 8 * H
    assert timeline.response_times(entries[:2]).time_to_contain is None
    assert timeline.mean([H, None, 3 * H]) == 2 * H
    assert timeline.mean([None]) is None


def test_person_roles_are_checked_exactly() -> None:
    p = Person(id="x", name="X", party="partner", roles=(Role.ANALYST,))
    d = authority.decide((), p, A.REVOKE_SESSIONS, Severity.LOW, on_call=True)
    assert d.authority is Authority.FORBIDDEN


@pytest.mark.parametrize(
    ("roster", "message"),
    [
        ("{partner: [nobody]}", "no person 'nobody'"),
        ("{internal: [jordan]}", "jordan is partner, not internal"),
    ],
)
def test_on_call_roster_is_validated(roster: str, message: str) -> None:
    text = WS.replace("business_hours: {partner: [casey]}", f"business_hours: {roster}")
    with pytest.raises(ConfigError, match=message):
        parse_workspace(text)


def test_incident_type_from_alert_rules(ws: Workspace) -> None:
    settings = ws.incident_response
    assert incident_type_for(settings, ["DET-LEGACY-001v1", "DET-FWD-001v1"]) == (
        "mailbox-compromise"
    )
    assert incident_type_for(settings, ["DET-EDR-001v1"]) == "endpoint-isolation"
    assert incident_type_for(settings, ["DET-LEGACY-001v1"]) is None
