"""TenantView: lazy typed access, resolved membership, roles, tiers, licences."""

from __future__ import annotations

import pytest
from tests.controls.builder import ADMIN_SKU, Tier, secure_tenant

from cosec.model.resources import Licence
from cosec.model.snapshot import ResourceUnavailable
from cosec.model.view import GLOBAL_ADMIN, TenantView


def test_transitive_groups_survive_cycles() -> None:
    t = secure_tenant()
    t.group("grp-a", ["u1", "grp-b"])
    t.group("grp-b", ["u2", "grp-a"])
    view = TenantView(t.snapshot())
    assert view.group_users["grp-a"] == {"u1", "u2"}
    assert view.group_users["grp-b"] == {"u1", "u2"}
    assert view.group_users["grp-staff"] == {"ceo", "clerk", "admin1", "admin2"}


def test_role_holders_through_groups_and_privileged_users() -> None:
    t = secure_tenant()
    t.group("grp-ops", ["ops"])
    t.user("ops")
    t.role("grp-ops", GLOBAL_ADMIN)
    view = TenantView(t.snapshot())
    assert set(view.active_role_holders[GLOBAL_ADMIN]) == {"bg1", "bg2", "admin1", "admin2", "ops"}
    assert view.privileged_users == {"bg1", "bg2", "admin1", "admin2", "ops"}


def test_tier_members_union_of_rules() -> None:
    view = TenantView(secure_tenant().snapshot())
    tier = Tier(departments=("executive",), groups=("Admins",), users=("clerk@contoso.example",))
    assert view.tier_members(tier) == {"ceo", "admin1", "admin2", "clerk"}
    assert view.tier_members(Tier(privileged_roles=True)) == view.privileged_users


def test_licences_from_service_plans() -> None:
    view = TenantView(secure_tenant().snapshot())
    assert view.licences == set(Licence)
    assert ADMIN_SKU not in view.mailbox_sku_ids
    t = secure_tenant()
    t.unavailable("subscribedSkus", permission="Organization.Read.All")
    assert TenantView(t.snapshot()).licences is None


def test_p2_implies_p1_and_disabled_plans_do_not_count() -> None:
    t = secure_tenant()
    t.raw["subscribedSkus"] = [
        {
            "skuId": "s",
            "capabilityStatus": "Enabled",
            "servicePlans": [
                {"servicePlanName": "AAD_PREMIUM_P2"},
                {"servicePlanName": "INTUNE_A", "provisioningStatus": "Disabled"},
            ],
        }
    ]
    assert TenantView(t.snapshot()).licences == {Licence.ENTRA_P1, Licence.ENTRA_P2}


def test_policy_users_resolve_include_exclude() -> None:
    view = TenantView(secure_tenant().snapshot())
    by_id = {p.id: p for p in view.ca_policies}
    assert view.policy_users(by_id["mfa-all"]) == {"admin1", "admin2", "ceo", "clerk"}
    assert view.policy_users(by_id["admins-phishing-resistant"]) == {"admin1", "admin2"}


def test_unreadable_resource_raises_for_the_engine() -> None:
    t = secure_tenant()
    t.unavailable("managedDevices", permission="DeviceManagementManagedDevices.Read.All")
    view = TenantView(t.snapshot())
    with pytest.raises(ResourceUnavailable) as info:
        _ = view.managed_devices
    assert info.value.outcome.permission == "DeviceManagementManagedDevices.Read.All"


def test_parse_report_lists_quirks_per_object() -> None:
    t = secure_tenant()
    t.add("riskyUsers", {"id": "x", "riskLevel": "String", "isDeleted": "Boolean"})
    report = TenantView(t.snapshot()).parse_report()
    assert {(q.resource, q.object_id) for q in report} == {("riskyUsers", "x")}
    assert any("riskLevel" in q.problem for q in report)
