"""Incidents in the store: declaration, checklist, status, actions and approvals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cosec.config import Authority, IncidentResponseSettings, ResponseAction, Severity, SlaSettings
from cosec.detect.rules import Evidence, Hit
from cosec.detect.triage import AlertState, TriageAction
from cosec.incidents.actions import ActionTarget
from cosec.incidents.lifecycle import IncidentError, IncidentStatus
from cosec.incidents.timeline import EntryKind
from cosec.model.governance import ControlArea
from cosec.store import alerts
from cosec.store import incidents as inc
from cosec.store.engine import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
TYPES = IncidentResponseSettings().types


def _alert(store: Store) -> int:
    h = Hit(
        "DET-FWD-001v1",
        Severity.HIGH,
        "fwd",
        ControlArea.EMAIL,
        "fp",
        "amy@contoso.com",
        T0,
        T0,
        (Evidence("messageRuleChanges", "e1", T0, "forwards out"),),
    )
    with store.session() as s:
        (aid,) = alerts.apply_hits(
            s,
            tenant="main",
            hits=[h],
            grants=[],
            now=T0 + H,
            sla_windows=SlaSettings().alert_triage,
            owner=None,
            base_ids={},
        ).created
        alerts.triage(s, aid, TriageAction.START, actor="casey", now=T0 + 2 * H)
    return aid


def _declare(store: Store, alert_ids: list[int]) -> int:
    with store.session() as s:
        return inc.declare(
            s,
            tenant="main",
            type_key="mailbox-compromise",
            settings=TYPES["mailbox-compromise"],
            severity=None,
            title=None,
            actor="jordan",
            now=T0 + 3 * H,
            alert_ids=alert_ids,
        ).id


def test_declare_escalates_alerts_and_seeds_timeline(store: Store) -> None:
    aid = _alert(store)
    iid = _declare(store, [aid])
    with store.session() as s:
        i = inc.get_incident(s, iid)
        a = alerts.get_alert(s, aid)
        kinds = [e.kind for e in inc.timeline(s, iid)]
        times = inc.response_times(s, iid)
    assert i.alert_ids == (aid,) and i.severity is Severity.HIGH and i.status is IncidentStatus.OPEN
    assert len(i.checklist) == 3 and not i.contained
    assert a.state is AlertState.ESCALATED and a.incident_id == iid
    assert kinds == [EntryKind.EVENT, EntryKind.DETECTION, EntryKind.TRIAGE, EntryKind.DECLARATION]
    assert times.time_to_detect == H and times.time_to_acknowledge == H


def test_new_evidence_of_an_escalated_alert_lands_on_the_timeline(store: Store) -> None:
    aid = _alert(store)
    iid = _declare(store, [aid])
    later = Hit("DET-FWD-001v1", Severity.HIGH, "fwd", ControlArea.EMAIL, "fp",
                "amy@contoso.com", T0 + 5 * H, T0 + 5 * H,
                (Evidence("messageRuleChanges", "e2", T0 + 5 * H, "forwards again"),))  # fmt: skip
    with store.session() as s:
        result = alerts.apply_hits(s, tenant="main", hits=[later], grants=[], now=T0 + 6 * H,
                                   sla_windows=SlaSettings().alert_triage, owner=None,
                                   base_ids={})  # fmt: skip
        assert result.updated == (aid,)
        last = inc.timeline(s, iid)[-1]
    assert (last.kind, last.at) == (EntryKind.DETECTION, T0 + 6 * H)
    assert last.text == f"new evidence on ALR-{aid}: forwards again"
    with store.session() as s:
        assert inc.response_times(s, iid).time_to_detect == H  # the first detection counts


def test_containment_gate_and_forward_only_status(store: Store) -> None:
    iid = _declare(store, [])
    with pytest.raises(IncidentError, match="not checked off"), store.session() as s:
        inc.set_status(s, iid, IncidentStatus.CONTAINED, actor="jordan", now=T0 + 4 * H)
    with store.session() as s:
        for n in (1, 2, 3):
            inc.check_item(s, iid, n, actor="jordan", now=T0 + 4 * H)
        with pytest.raises(IncidentError, match="already checked"):
            inc.check_item(s, iid, 1, actor="jordan", now=T0 + 4 * H)
        with pytest.raises(IncidentError, match=r"1\.\.3"):
            inc.check_item(s, iid, 4, actor="jordan", now=T0 + 4 * H)
    with store.session() as s:
        inc.set_status(s, iid, IncidentStatus.CONTAINED, actor="jordan", now=T0 + 5 * H)
        inc.set_status(s, iid, IncidentStatus.CLOSED, actor="alex", now=T0 + 9 * H, note="done")
        with pytest.raises(IncidentError, match="cannot move back"):
            inc.set_status(s, iid, IncidentStatus.RECOVERED, actor="alex", now=T0 + 9 * H)
    with store.session() as s:
        i = inc.get_incident(s, iid)
        assert i.status is IncidentStatus.CLOSED and i.closed_at == T0 + 9 * H
        assert inc.response_times(s, iid).time_to_recover == 6 * H
        assert [x.id for x in inc.list_incidents(s, tenant="main")] == [iid]


def test_actions_approvals_and_overdue(store: Store) -> None:
    iid = _declare(store, [])
    target = ActionTarget(user="amy@contoso.com")
    with store.session() as s:
        pending = inc.add_action(
            s,
            iid,
            action=ResponseAction.DISABLE_ACCOUNT,
            target=target,
            requested_by="casey",
            now=T0,
            authority=Authority.SECOND_APPROVER,
            emergency=False,
            status=inc.ActionStatus.PENDING_APPROVAL,
            reason="needs approval",
        )
        emergency = inc.add_action(
            s,
            iid,
            action=ResponseAction.ISOLATE_DEVICE,
            target=ActionTarget(device="d1"),
            requested_by="jordan",
            now=T0,
            authority=Authority.SECOND_APPROVER,
            emergency=True,
            status=inc.ActionStatus.EXECUTED,
            reason="on call",
        )
        inc.finish_action(
            s,
            emergency.id,
            now=T0,
            before={"isolated": False},
            after={"isolated": True},
            error=None,
            approval_due_at=T0 + 4 * H,
        )
        assert inc.approved_request(s, iid, ResponseAction.DISABLE_ACCOUNT, target) is None
    with store.session() as s:
        assert [a.id for a in inc.overdue_approvals(s, T0 + 5 * H)] == [emergency.id]
        inc.approve(s, pending.id, approver="alex", now=T0 + H)
        inc.approve(s, emergency.id, approver="alex", now=T0 + 6 * H)
        with pytest.raises(IncidentError, match="already approved"):
            inc.approve(s, pending.id, approver="alex", now=T0 + H)
    with store.session() as s:
        assert inc.overdue_approvals(s, T0 + 7 * H) == []
        found = inc.approved_request(s, iid, ResponseAction.DISABLE_ACCOUNT, target)
        assert found is not None and found.approved_by == "alex"
        assert [a.status for a in inc.actions(s, iid)] == ["approved", "executed"]


def test_a_stale_self_authorised_row_is_not_a_second_approval(store: Store) -> None:
    """An allowed action is written `approved` before it runs; if the run is interrupted
    the row stays. It must not let the same (or another) request skip its approver."""
    iid = _declare(store, [])
    target = ActionTarget(user="amy@contoso.com")
    with store.session() as s:
        inc.add_action(
            s,
            iid,
            action=ResponseAction.DISABLE_ACCOUNT,
            target=target,
            requested_by="casey",
            now=T0,
            authority=Authority.ALLOWED,
            emergency=False,
            status=inc.ActionStatus.APPROVED,
            reason="allowed, then interrupted",
        )
    with store.session() as s:
        assert inc.approved_request(s, iid, ResponseAction.DISABLE_ACCOUNT, target) is None
