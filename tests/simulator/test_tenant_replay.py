"""Replay: a saved raw snapshot served back as a tenant."""

from __future__ import annotations

from datetime import date

import pytest

from cosec.simulator.replay import tenant_from_snapshot
from cosec.simulator.tenant import SimTenant, build_tenant

LAST = date(2026, 11, 20)

GRAPH = {
    "organization": "organization",
    "domains": "domains",
    "subscribedSkus": "subscribedSkus",
    "users": "users",
    "groups": "groups",
    "roleDefinitions": "roleDefinitions",
    "roleAssignments": "roleAssignments",
    "roleEligibilitySchedules": "roleEligibilityScheduleInstances",
    "userRegistrationDetails": "userRegistrationDetails",
    "conditionalAccessPolicies": "conditionalAccessPolicies",
    "namedLocations": "namedLocations",
    "riskyUsers": "riskyUsers",
    "managedDevices": "managedDevices",
    "deviceCompliancePolicies": "deviceCompliancePolicies",
    "secureScores": "secureScores",
    "secureScoreControlProfiles": "secureScoreControlProfiles",
}
EXCHANGE = {
    "antiPhishPolicies": "Get-AntiPhishPolicy",
    "antiPhishRules": "Get-AntiPhishRule",
    "mailboxes": "Get-Mailbox",
    "outboundSpamPolicies": "Get-HostedOutboundSpamFilterPolicy",
    "safeLinksPolicies": "Get-SafeLinksPolicy",
    "dkimSigningConfigs": "Get-DkimSigningConfig",
    "adminAuditLogConfig": "Get-AdminAuditLogConfig",
    "organizationConfig": "Get-OrganizationConfig",
}


def snapshot(
    t: SimTenant,
) -> tuple[dict[str, list[dict[str, object]]], dict[str, dict[str, list[dict[str, object]]]]]:
    raw: dict[str, list[dict[str, object]]] = {
        k: list(t.collection(ours, LAST)) for k, ours in GRAPH.items()
    }
    raw.update({k: list(t.exchange(c, {}, LAST)) for k, c in EXCHANGE.items()})
    for key in ("authenticationMethodsPolicy", "securityDefaults", "authorizationPolicy"):
        raw[key] = [t.singleton(key, LAST)]
    raw["mdeMachines"] = list(t.mde_machines(LAST))
    per_parent = {
        "groupMembers": {
            g["id"]: list(t.children("groupMembers", g["id"], LAST) or []) for g in raw["groups"]
        },
        "messageRules": {
            b["ExternalDirectoryObjectId"]: list(
                t.children("messageRules", str(b["ExternalDirectoryObjectId"]), LAST) or []
            )
            for b in raw["mailboxes"]
        },
        "mdeVulnerabilities": {
            m["id"]: list(t.mde_vulnerabilities(str(m["id"]), LAST) or [])
            for m in raw["mdeMachines"]
        },
    }
    return raw, per_parent


def test_round_trip_serves_the_same_objects() -> None:
    original = build_tenant(seed=41, users=80, days=5, last_day=LAST, licence_mix="e5")
    raw, per_parent = snapshot(original)
    alerts = list(original.events_on("alerts", LAST))
    replayed = tenant_from_snapshot(
        raw, per_parent=per_parent, events={"alerts": alerts}, last_day=LAST
    )
    assert replayed.tenant_id == original.tenant_id
    assert replayed.primary_domain == original.primary_domain
    assert all(replayed.licensed(f) == original.licensed(f) for f in ("entra_p2", "mde", "mdo_p2"))
    for key, ours in GRAPH.items():
        assert list(replayed.collection(ours, LAST)) == raw[key], key
    for key, cmdlet in EXCHANGE.items():
        assert list(replayed.exchange(cmdlet, {}, LAST)) == raw[key], key
    assert replayed.singleton("authorizationPolicy", LAST) == raw["authorizationPolicy"][0]
    group = str(raw["groups"][0]["id"])
    assert replayed.children("groupMembers", group, LAST) == per_parent["groupMembers"][group]
    assert list(replayed.exchange("Get-InboxRule", {}, LAST)) == list(
        original.exchange("Get-InboxRule", {}, LAST)
    )
    machine = str(raw["mdeMachines"][0]["id"])
    assert replayed.mde_vulnerabilities(machine, LAST) == per_parent["mdeVulnerabilities"][machine]
    assert list(replayed.events_on("alerts", LAST)) == alerts
    assert replayed.events_on("signIns", LAST) == []


def test_replayed_tenant_takes_response_actions() -> None:
    original = build_tenant(seed=41, users=40, days=2, last_day=LAST)
    raw, per_parent = snapshot(original)
    replayed = tenant_from_snapshot(raw, per_parent=per_parent, last_day=LAST)
    user = next(u for u in raw["users"] if u["accountEnabled"])
    replayed.set_account_enabled(str(user["id"]), False)
    after = {u["id"]: u for u in replayed.collection("users", LAST)}
    assert after[user["id"]]["accountEnabled"] is False
    assert (
        replayed.events_on("directoryAudits", LAST)[0]["activityDisplayName"] == "Disable account"
    )


def test_unknown_resource_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown resource keys"):
        tenant_from_snapshot({"printers": []}, last_day=LAST)
