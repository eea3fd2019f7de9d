"""The catalog over simulated tenants: scenarios planted by the simulator are found."""

from __future__ import annotations

import pytest
from tests.controls.builder import context
from tests.controls.simulated import snapshot_of

from cosec.controls.base import Status
from cosec.controls.catalog import load_catalog
from cosec.controls.engine import assess
from cosec.controls.finding import Finding
from cosec.model.view import TenantView
from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.tenant import build_tenant


def _assess(scenario: str | None = None, mix: str = "business-premium") -> dict[str, Finding]:
    placements = [ScenarioPlacement(scenario)] if scenario else []
    tenant = build_tenant(users=40, seed=7, scenarios=placements, licence_mix=mix)
    snap = snapshot_of(tenant)
    findings = assess(TenantView(snap), context(now=snap.taken_at), load_catalog())
    return {f.control_id: f for f in findings}


def _failing(f: Finding) -> set[str]:
    return {o.object.id for o in f.evidence if not o.ok}


@pytest.mark.parametrize("mix", ["business-premium", "e3", "e5"])
def test_every_control_decides_on_every_licence_mix(mix: str) -> None:
    findings = _assess(mix=mix)
    assert [c for c, f in findings.items() if f.status is Status.ERROR] == []
    if mix == "e5":
        assert findings["IDN-006v1"].status is not Status.NOT_APPLICABLE
    else:  # Identity Protection needs Entra ID P2
        assert findings["IDN-006v1"].status is Status.NOT_APPLICABLE


def test_mailbox_compromise_is_found_by_both_forwarding_controls() -> None:
    base, hit = _assess(), _assess("mailbox-compromise")
    assert base["EML-006v1"].status is Status.PASS
    assert base["EML-007v1"].status is Status.PASS
    assert hit["EML-006v1"].status is Status.FAIL
    assert hit["EML-007v1"].status is Status.FAIL
    (rule,) = _failing(hit["EML-006v1"])
    (mailbox,) = _failing(hit["EML-007v1"])
    assert rule.startswith(mailbox + "/")  # the same victim's rule and mailbox


def test_disabled_ca_policy_uncovers_everyone() -> None:
    base, hit = _assess(), _assess("ca-policy-disabled")
    assert _failing(base["IDN-001v1"]) < _failing(hit["IDN-001v1"])
    assert hit["IDN-025v1"].status is Status.FAIL


def test_rogue_admin_shows_up_as_a_new_global_admin_with_a_mailbox() -> None:
    base, hit = _assess(), _assess("rogue-admin")
    (new,) = _failing(hit["IDN-014v1"]) - _failing(base["IDN-014v1"])
    assert new in _failing(hit["IDN-004v1"]) - _failing(base["IDN-004v1"])
    assert hit["IDN-011v1"].evidence[0].observed == base["IDN-011v1"].evidence[0].observed + 1
