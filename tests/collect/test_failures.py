"""Partial reads: a missing permission or revoked consent, recorded with the reason."""

from __future__ import annotations

from collections.abc import Callable

from tests.collect.conftest import register_tenant

from cosec.collect import CollectOptions, collect_all
from cosec.model.snapshot import Outcome
from cosec.runtime import Runtime
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.tenant import build_tenant
from cosec.store.events import watermark
from cosec.store.snapshots import latest_snapshot

FAST = CollectOptions(window_scale=0.01)


def test_missing_permission_is_named_and_nothing_else_is_lost(
    rt: Runtime, sim_cloud: Callable[..., SimulatorHandle]
) -> None:
    handle = sim_cloud([build_tenant(name="fabrikam", seed=3, users=20, days=5)], window_scale=0.01)
    creds = handle.tenant("fabrikam")
    handle.cloud.remove_permission(creds.tenant_id, creds.client_id, "AuditLog.Read.All")
    register_tenant(rt, handle, "fabrikam")
    (result,) = collect_all(rt, None, FAST)
    assert result.ok and result.partial
    reg = result.outcomes["userRegistrationDetails"]
    assert reg.status is Outcome.NOT_ASSESSED
    assert reg.permission == "AuditLog.Read.All"
    sign_ins = result.streams["signIns"].outcome
    assert sign_ins.status is Outcome.NOT_ASSESSED and sign_ins.permission == "AuditLog.Read.All"
    users = result.outcomes["users"]  # still read, without sign-in activity, and says so
    assert users.status is Outcome.OK and users.item_count > 0
    assert "signInActivity not read" in users.reason
    with rt.store.session() as s:
        assert watermark(s, "fabrikam", "signIns") is None  # nothing stored, nothing skipped
        snap = latest_snapshot(s, "fabrikam")
        assert snap is not None and snap.partial
        assert "AuditLog.Read.All" in snap.outcome("userRegistrationDetails").reason


def test_revoked_consent_fails_the_tenant_with_a_clear_reason(
    rt: Runtime, sim_cloud: Callable[..., SimulatorHandle]
) -> None:
    handle = sim_cloud([build_tenant(name="tailspin", seed=4, users=12, days=3)])
    creds = handle.tenant("tailspin")
    handle.cloud.revoke_consent(creds.tenant_id, creds.client_id)
    register_tenant(rt, handle, "tailspin")
    (result,) = collect_all(rt, None, FAST)
    assert not result.ok
    assert "consent" in (result.error or "")
    with rt.store.session() as s:
        assert latest_snapshot(s, "tailspin") is None
