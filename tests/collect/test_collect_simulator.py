"""Collecting the simulated tenant end to end: snapshot, streams, licences, isolation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from tests.collect.conftest import register_tenant

from cosec.collect import CollectOptions, collect_all
from cosec.collect.runner import end_of_day
from cosec.errors import ConfigError
from cosec.model.resources import RESOURCES, STREAMS, Licence
from cosec.model.snapshot import Outcome
from cosec.runtime import Runtime
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import build_tenant
from cosec.store.events import count_events, iter_events, watermark
from cosec.store.snapshots import latest_snapshot, list_snapshots

FAST = CollectOptions(window_scale=0.01)  # the session simulator's windows are 100× shorter


def test_collect_fills_a_snapshot_and_every_stream(rt: Runtime, simulator: SimulatorHandle) -> None:
    register_tenant(rt, simulator, "contoso")
    (result,) = collect_all(rt, None, FAST)
    assert result.ok, result.error
    assert set(result.outcomes) == set(RESOURCES)
    assert set(result.streams) == set(STREAMS)
    with rt.store.session() as s:
        snap = latest_snapshot(s, "contoso")
        assert snap is not None and snap.id == result.snapshot_id
        users = snap.items("users")
        assert len(users) == snap.outcome("users").item_count > 0
        assert all("userPrincipalName" in u for u in users)
        assert snap.children("groupMembers")
        assert snap.outcome("mailboxes").status is Outcome.OK
        assert snap.outcome("riskyUsers").status is Outcome.OK  # the tenant has E5
        assert snap.partial is any(o.status is not Outcome.OK for o in snap.outcomes.values())
        sign_ins = count_events(s, "contoso", "signIns")
        assert sign_ins == result.streams["signIns"].fetched > 0
        assert watermark(s, "contoso", "signIns") == result.taken_at
        first = next(iter_events(s, "contoso", "alerts"))
        assert first.raw["id"] == first.id


def test_unlicensed_resources_are_skipped_and_name_the_licence(
    rt: Runtime, sim_cloud: Callable[..., SimulatorHandle]
) -> None:
    tenant = build_tenant(name="smallbiz", seed=2, users=12, days=3, licence_mix="business-premium")
    handle = sim_cloud([tenant], window_scale=0.01)
    register_tenant(rt, handle, "smallbiz")
    (result,) = collect_all(rt, None, FAST)
    assert result.ok and result.partial
    for key in ("riskyUsers", "roleEligibilitySchedules"):
        assert result.outcomes[key].status is Outcome.NOT_ASSESSED
        assert result.outcomes[key].licence == Licence.ENTRA_P2.value
        assert "not read" in result.outcomes[key].reason
    detections = result.streams["riskDetections"].outcome
    assert detections.status is Outcome.NOT_ASSESSED
    assert detections.licence == Licence.ENTRA_P2.value
    assert result.outcomes["conditionalAccessPolicies"].status is Outcome.OK  # P1 is there
    # never called: only Conditional Access policies and named locations used that bucket
    assert result.stats.per_bucket["identity_protection"] == 2


def test_rerun_adds_no_duplicates_and_tracks_inbox_rule_changes(
    rt: Runtime, simulator: SimulatorHandle
) -> None:
    register_tenant(rt, simulator, "contoso")
    first, second = collect_all(rt, None, FAST)[0], collect_all(rt, None, FAST)[0]
    assert first.ok and second.ok
    with rt.store.session() as s:
        ids = [e.id for e in iter_events(s, "contoso", "signIns")]
        assert len(ids) == len(set(ids))
        assert len(ids) >= first.streams["signIns"].fetched
        assert len(list_snapshots(s, "contoso")) == 2
        # the window re-read the overlap only, not the whole first 30 days again
        assert second.streams["signIns"].fetched < first.streams["signIns"].fetched
    assert first.streams["messageRuleChanges"].outcome.status is Outcome.OK
    assert second.streams["messageRuleChanges"].fetched == 0  # nothing changed in between


def test_as_of_reads_a_past_day_and_stamps_its_end(rt: Runtime, simulator: SimulatorHandle) -> None:
    register_tenant(rt, simulator, "contoso")
    day = simulator.cloud.get("contoso").data.last_day - timedelta(days=3)
    (result,) = collect_all(rt, None, CollectOptions(as_of=day, window_scale=0.01))
    assert result.ok
    with rt.store.session() as s:
        snap = latest_snapshot(s, "contoso")
        assert snap is not None and snap.taken_at == end_of_day(day)
        latest = max(e.occurred_at for e in iter_events(s, "contoso", "signIns"))
    assert latest <= end_of_day(day)
    assert list_snapshots_as_of(rt) == [day]


def list_snapshots_as_of(rt: Runtime) -> list[date | None]:
    with rt.store.session() as s:
        return [i.as_of for i in list_snapshots(s, "contoso")]


def test_as_of_is_refused_for_a_real_microsoft_tenant(
    rt: Runtime, simulator: SimulatorHandle
) -> None:
    register_tenant(rt, simulator, "contoso", as_name="real", custom_endpoints={})
    with pytest.raises(ConfigError, match="simulator"):
        collect_all(rt, ["real"], CollectOptions(as_of=date(2026, 1, 1)))


def test_a_bad_credential_fails_only_its_tenant(rt: Runtime, simulator: SimulatorHandle) -> None:
    register_tenant(rt, simulator, "contoso", as_name="broken", secret="wrong-secret")
    register_tenant(rt, simulator, "contoso", as_name="good", certificate=True)
    results = {r.tenant: r for r in collect_all(rt, None, FAST)}
    assert not results["broken"].ok
    assert "secret is wrong" in (results["broken"].error or "")
    assert results["broken"].snapshot_id is None
    assert results["good"].ok and results["good"].snapshot_id is not None


def test_selected_keys_only(rt: Runtime, simulator: SimulatorHandle) -> None:
    register_tenant(rt, simulator, "contoso")
    keys = frozenset({"groupMembers", "directoryAudits"})
    (result,) = collect_all(rt, None, CollectOptions(keys=keys, window_scale=0.01))
    assert set(result.outcomes) == {"groupMembers"}
    assert set(result.streams) == {"directoryAudits"}
    with rt.store.session() as s:
        snap = latest_snapshot(s, "contoso")
        assert snap is not None
        assert snap.outcome("users").reason == "not collected"
        assert count_events(s, "contoso", "signIns") == 0
