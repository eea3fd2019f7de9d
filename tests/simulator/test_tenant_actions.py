"""Response actions and administrative changes change state as of the last day and are
audited; bad targets raise KeyError and change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.tenant import SimTenant, build_tenant

LAST = date(2026, 11, 20)


@pytest.fixture
def tenant() -> SimTenant:
    return build_tenant(
        seed=31,
        users=120,
        days=10,
        last_day=LAST,
        licence_mix="e5",
        scenarios=[ScenarioPlacement("mailbox-compromise", LAST - timedelta(days=1))],
    )


def ordinary(t: SimTenant) -> dict[str, object]:
    return next(
        u
        for u in t.collection("users", LAST)
        if u["accountEnabled"] and u["userType"] == "Member" and u["department"] == "Sales"
    )


def app_audits(t: SimTenant, activity: str) -> list[dict[str, object]]:
    return [
        a
        for a in t.events_on("directoryAudits", LAST)
        if a["activityDisplayName"] == activity and a["initiatedBy"]["app"]
    ]


def test_revoke_sessions_moves_the_valid_from_time(tenant: SimTenant) -> None:
    user = ordinary(tenant)
    assert tenant.revoke_sessions(str(user["id"]))["value"] is True
    after = {u["id"]: u for u in tenant.collection("users", LAST)}[user["id"]]
    assert after["signInSessionsValidFromDateTime"] > str(user["signInSessionsValidFromDateTime"])
    assert after["signInSessionsValidFromDateTime"].startswith("2026-11-20")
    assert app_audits(tenant, "Invalidate all refresh tokens for user")


def test_disable_account_is_visible_today_not_yesterday(tenant: SimTenant) -> None:
    uid = str(ordinary(tenant)["id"])
    tenant.set_account_enabled(uid, False)
    today = {u["id"]: u for u in tenant.collection("users", LAST)}
    yesterday = {u["id"]: u for u in tenant.collection("users", LAST - timedelta(days=1))}
    assert today[uid]["accountEnabled"] is False
    assert yesterday[uid]["accountEnabled"] is True
    (event,) = app_audits(tenant, "Disable account")
    assert event["initiatedBy"]["app"]["displayName"] == "cosec-response"


def test_risk_confirm_and_dismiss(tenant: SimTenant) -> None:
    uid = str(ordinary(tenant)["id"])
    tenant.confirm_compromised([uid])
    risky = {u["id"]: u for u in tenant.collection("riskyUsers", LAST)}
    assert risky[uid]["riskState"] == "confirmedCompromised"
    assert risky[uid]["riskLevel"] == "high"
    tenant.dismiss_risk([uid])
    risky = {u["id"]: u for u in tenant.collection("riskyUsers", LAST)}
    assert risky[uid]["riskState"] == "dismissed"


def test_rule_deletion_and_forwarding_removal_contain_the_compromise(tenant: SimTenant) -> None:
    boxes = [b for b in tenant.exchange("Get-Mailbox", {}, LAST) if b["ForwardingSmtpAddress"]]
    assert boxes
    victim = str(boxes[0]["ExternalDirectoryObjectId"])
    cleared = tenant.set_mailbox_forwarding(str(boxes[0]["UserPrincipalName"]), None)
    assert cleared["ForwardingSmtpAddress"] is None
    rules = tenant.children("messageRules", victim, LAST) or []
    forwarding = [r for r in rules if r["actions"].get("forwardTo")]
    for rule in forwarding:
        tenant.delete_message_rule(victim, str(rule["id"]))
    left = tenant.children("messageRules", victim, LAST) or []
    assert len(left) == len(rules) - len(forwarding)
    with pytest.raises(KeyError):
        tenant.delete_message_rule(victim, str(forwarding[0]["id"]))


def test_isolate_records_a_machine_action(tenant: SimTenant) -> None:
    machine = tenant.mde_machines(LAST)[0]
    action = tenant.machine_action(str(machine["id"]), "isolate", "contain")
    assert action["type"] == "Isolate" and action["machineId"] == machine["id"]
    assert tenant.machine_actions()[0] == action
    with pytest.raises(ValueError, match="isolate or unisolate"):
        tenant.machine_action(str(machine["id"]), "wipe", "no")
    with pytest.raises(KeyError):
        tenant.machine_action("f" * 40, "isolate", "no such machine")


def test_unknown_targets_raise_key_error_and_change_nothing(tenant: SimTenant) -> None:
    before = tenant.collection("users", LAST)
    with pytest.raises(KeyError):
        tenant.revoke_sessions("no-such-user")
    with pytest.raises(KeyError):
        tenant.set_account_enabled("no-such-user", False)
    with pytest.raises(KeyError):
        tenant.confirm_compromised([str(before[0]["id"]), "no-such-user"])
    with pytest.raises(KeyError):
        tenant.set_mailbox_forwarding("nobody@nowhere.example", None)
    assert tenant.collection("users", LAST) == before
    assert tenant.collection("riskyUsers", LAST) == tenant.collection("riskyUsers", LAST)
    assert not app_audits(tenant, "Confirm user compromised")


def test_change_applies_now_and_logs_the_actor(tenant: SimTenant) -> None:
    admin = next(u for u in tenant.collection("users", LAST) if u["jobTitle"] == "IT Administrator")
    pid = tenant.policy_id("Block legacy authentication")
    tenant.clock = lambda: datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
    changed = tenant.change(
        "conditionalAccessPolicy", pid, {"state": "disabled"}, str(admin["userPrincipalName"])
    )
    assert changed["state"] == "disabled"
    assert changed["modifiedDateTime"] == "2026-11-20T21:30:00Z"
    event = next(
        a
        for a in tenant.events_on("directoryAudits", LAST)
        if a["activityDisplayName"] == "Update conditional access policy"
    )
    assert event["initiatedBy"]["user"]["userPrincipalName"] == admin["userPrincipalName"]
    with pytest.raises(ValueError, match="unknown change kind"):
        tenant.change("printer", pid, {}, str(admin["userPrincipalName"]))
    with pytest.raises(KeyError):
        tenant.change("conditionalAccessPolicy", pid, {"state": "enabled"}, "ghost@x.example")
