"""Each scenario plants its objects and events on its day, and not before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cosec.simulator.catalog import GLOBAL_ADMIN
from cosec.simulator.scenarios import SCENARIOS, ScenarioPlacement
from cosec.simulator.tenant import SimTenant, build_tenant

LAST = date(2026, 11, 20)
DAY = date(2026, 11, 16)
BEFORE = DAY - timedelta(days=1)


def placed(name: str, mix: str = "e5", day: date | None = DAY) -> SimTenant:
    return build_tenant(
        seed=11,
        users=150,
        days=20,
        last_day=LAST,
        licence_mix=mix,
        scenarios=[ScenarioPlacement(name, day)],
    )


def test_registry_describes_every_scenario() -> None:
    assert set(SCENARIOS) == {
        "mailbox-compromise",
        "rogue-admin",
        "ca-policy-disabled",
        "endpoint-isolated",
    }
    assert all(s.description for s in SCENARIOS.values())


def test_mailbox_compromise_plants_the_whole_chain() -> None:
    t = placed("mailbox-compromise")
    alert = next(
        a
        for a in t.events_on("alerts", DAY)
        if a["title"] == "Email reported by user as malware or phish" and a["status"] == "new"
    )
    victim_upn = alert["evidence"][0]["userAccount"]["userPrincipalName"]
    victim = alert["evidence"][0]["userAccount"]["azureAdUserId"]
    risky_sign_ins = [
        s
        for s in t.events_on("signIns", DAY)
        if s["userId"] == victim and s["riskLevelDuringSignIn"] == "high"
    ]
    assert risky_sign_ins and risky_sign_ins[0]["location"]["countryOrRegion"] == "NG"
    assert t.event_total("signIns", DAY, DAY) == len(t.events_on("signIns", DAY))
    assert any(d["userId"] == victim for d in t.events_on("riskDetections", DAY))
    risky = {u["id"]: u for u in t.collection("riskyUsers", DAY)}
    assert risky[victim]["riskLevel"] == "high" and risky[victim]["riskState"] == "atRisk"
    registered = [
        a
        for a in t.events_on("directoryAudits", DAY)
        if a["activityDisplayName"] == "User registered security info"
        and a["targetResources"][0]["id"] == victim
    ]
    assert registered
    details = {d["id"]: d for d in t.collection("userRegistrationDetails", DAY)}
    assert "mobilePhone" in details[victim]["methodsRegistered"]
    rules = t.children("messageRules", victim, DAY) or []
    assert any(r["actions"].get("forwardTo") for r in rules)
    box = t.exchange("Get-Mailbox", {"Identity": victim_upn}, DAY)[0]
    assert box["ForwardingSmtpAddress"].startswith("smtp:")
    assert box["DeliverToMailboxAndForward"] is True
    # nothing of it the day before
    assert victim not in {u["id"] for u in t.collection("riskyUsers", BEFORE)}
    assert not t.exchange("Get-Mailbox", {"Identity": victim_upn}, BEFORE)[0][
        "ForwardingSmtpAddress"
    ]
    before_rules = t.children("messageRules", victim, BEFORE) or []
    assert not any(r["actions"].get("forwardTo") for r in before_rules)


def test_rogue_admin_assigns_global_admin_at_night_by_an_unexpected_actor() -> None:
    t = placed("rogue-admin")
    before = {a["principalId"] for a in t.collection("roleAssignments", BEFORE)}
    after = t.collection("roleAssignments", DAY)
    new = [a for a in after if a["principalId"] not in before]
    assert len(new) == 1 and new[0]["roleDefinitionId"] == GLOBAL_ADMIN
    event = next(
        a
        for a in t.events_on("directoryAudits", DAY)
        if a["activityDisplayName"] == "Add member to role"
    )
    assert event["activityDateTime"] == "2026-11-16T02:17:00Z"
    assert event["initiatedBy"]["user"]["userPrincipalName"].startswith("bg-admin")
    assert event["targetResources"][0]["id"] == new[0]["principalId"]
    assert event["targetResources"][1]["id"] == GLOBAL_ADMIN


def test_ca_policy_disabled_changes_state_with_its_audit() -> None:
    t = placed("ca-policy-disabled")

    def mfa_all(day: date) -> str:
        policies = t.collection("conditionalAccessPolicies", day)
        return next(p["state"] for p in policies if p["displayName"] == "Require MFA for all users")

    assert mfa_all(BEFORE) == "enabled"
    assert mfa_all(DAY) == "disabled"

    def mfa_applied(day: date) -> bool:
        statuses = {s["conditionalAccessStatus"] for s in t.events_on("signIns", day)}
        return "success" in statuses

    assert mfa_applied(DAY - timedelta(days=3))  # the Friday before
    assert not mfa_applied(DAY + timedelta(days=1))
    event = next(
        a
        for a in t.events_on("directoryAudits", DAY)
        if a["activityDisplayName"] == "Update conditional access policy"
    )
    assert event["initiatedBy"]["user"]["userPrincipalName"].endswith("@contoso.example")
    modified = event["targetResources"][0]["modifiedProperties"]
    assert modified == [{"displayName": "state", "oldValue": '"enabled"', "newValue": '"disabled"'}]


def test_endpoint_isolated_raises_a_high_alert_and_isolates_the_machine() -> None:
    t = placed("endpoint-isolated", mix="business-premium")
    alert = next(a for a in t.events_on("alerts", DAY) if a["severity"] == "high")
    device = alert["evidence"][0]["mdeDeviceId"]
    assert alert["serviceSource"] == "microsoftDefenderForEndpoint"
    actions = t.machine_actions()
    assert [(a["type"], a["machineId"]) for a in actions] == [("Isolate", device)]
    assert actions[0]["creationDateTimeUtc"].startswith("2026-11-16")
    assert any(i["id"] == alert["incidentId"] for i in t.events_on("incidents", DAY))


def test_endpoint_isolated_needs_defender_for_endpoint() -> None:
    with pytest.raises(ValueError, match="Defender for Endpoint"):
        placed("endpoint-isolated", mix="e3")


def test_default_day_is_near_the_end_and_bad_placements_are_refused() -> None:
    t = placed("ca-policy-disabled", day=None)
    assert any(
        a["activityDisplayName"] == "Update conditional access policy"
        for a in t.events_on("directoryAudits", LAST - timedelta(days=2))
    )
    with pytest.raises(ValueError, match="unknown scenarios"):
        placed("alien-invasion")
    with pytest.raises(ValueError, match="outside"):
        placed("rogue-admin", day=LAST + timedelta(days=1))
