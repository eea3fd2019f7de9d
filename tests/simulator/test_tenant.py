"""The generated tenant: determinism, plausible distributions, consistency, licences."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cosec.simulator.catalog import GLOBAL_ADMIN
from cosec.simulator.contract import (
    EXCHANGE_CMDLETS,
    GRAPH_COLLECTIONS,
    GRAPH_SINGLETONS,
    GRAPH_STREAMS,
    TenantData,
)
from cosec.simulator.tenant import SimTenant, build_tenant

LAST = date(2026, 11, 20)


def dump(t: SimTenant, day: date = LAST) -> str:
    """Everything a tenant serves on `day`, as JSON."""
    content = {
        "collections": {k: t.collection(k, day) for k in GRAPH_COLLECTIONS},
        "singletons": {k: t.singleton(k, day) for k in GRAPH_SINGLETONS},
        "events": {k: t.events_on(k, day) for k in GRAPH_STREAMS},
        "exchange": {c: t.exchange(c, {}, day) for c in EXCHANGE_CMDLETS},
        "machines": t.mde_machines(day),
        "vulns": [t.mde_vulnerabilities(m["id"], day) for m in t.mde_machines(day)],
        "members": [t.children("groupMembers", g["id"], day) for g in t.collection("groups", day)],
    }
    return json.dumps(content, sort_keys=True)


@pytest.fixture(scope="module")
def tenant() -> SimTenant:
    return build_tenant(seed=7, users=400, days=30, last_day=LAST, licence_mix="e5")


def test_satisfies_the_contract(tenant: SimTenant) -> None:
    data: TenantData = tenant
    assert data.first_day == date(2026, 10, 22)
    assert data.primary_domain == "contoso.example"


def test_same_arguments_give_identical_json_and_another_seed_differs() -> None:
    a = build_tenant(seed=3, users=120, days=10, last_day=LAST)
    b = build_tenant(seed=3, users=120, days=10, last_day=LAST)
    c = build_tenant(seed=4, users=120, days=10, last_day=LAST)
    assert dump(a) == dump(b)
    assert dump(a) != dump(c)
    assert a.tenant_id == b.tenant_id != c.tenant_id


def test_reading_order_does_not_change_content() -> None:
    a = build_tenant(seed=5, users=60, days=5, last_day=LAST)
    b = build_tenant(seed=5, users=60, days=5, last_day=LAST)
    b.events_on("signIns", date(2026, 11, 18))  # warm other days and caches first
    b.mde_vulnerabilities(b.mde_machines(LAST)[-1]["id"], LAST)
    assert dump(a) == dump(b)


def test_bad_arguments_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="licence_mix"):
        build_tenant(licence_mix="e7")
    with pytest.raises(ValueError, match="between 10 and 50000"):
        build_tenant(users=5)
    with pytest.raises(ValueError, match="days"):
        build_tenant(days=0)


def test_unknown_keys_raise_key_error(tenant: SimTenant) -> None:
    with pytest.raises(KeyError):
        tenant.collection("printers", LAST)
    with pytest.raises(KeyError):
        tenant.exchange("Get-Everything", {}, LAST)
    with pytest.raises(KeyError):
        tenant.events_on("telemetry", LAST)


def test_most_users_are_ordinary_members_with_a_realistic_tail(tenant: SimTenant) -> None:
    users = tenant.collection("users", LAST)
    assert 380 <= len(users) <= 400
    guests = [u for u in users if u["userType"] == "Guest"]
    assert 0.03 <= len(guests) / len(users) <= 0.07
    assert all(u["assignedLicenses"] == [] for u in guests)
    disabled = [u for u in users if not u["accountEnabled"]]
    assert 0 < len(disabled) < len(users) * 0.15
    shared = [u for u in users if u["userPrincipalName"].split("@")[0] in ("info", "accounts")]
    assert shared and not any(u["accountEnabled"] for u in shared)
    assert any(u["onPremisesSyncEnabled"] for u in users)
    stale = [
        u
        for u in users
        if u["accountEnabled"]
        and u["signInActivity"]
        and u["signInActivity"]["lastSignInDateTime"] < "2026-08-22"
    ]
    assert 0.02 <= len(stale) / len(users) <= 0.12
    departments = {u["department"] for u in users if u["department"]}
    assert {"Executive", "Finance", "Sales", "IT"} <= departments


def test_break_glass_accounts_are_cloud_only_global_admins_excluded_from_ca(
    tenant: SimTenant,
) -> None:
    users = {u["id"]: u for u in tenant.collection("users", LAST)}
    glass = [u for u in users.values() if u["userPrincipalName"].startswith("bg-admin")]
    assert len(glass) == 2
    assert all(u["assignedLicenses"] == [] and not u["onPremisesSyncEnabled"] for u in glass)
    globals_ = {
        a["principalId"]
        for a in tenant.collection("roleAssignments", LAST)
        if a["roleDefinitionId"] == GLOBAL_ADMIN
    }
    assert 3 <= len(globals_) <= 5
    assert {u["id"] for u in glass} <= globals_
    for policy in tenant.collection("conditionalAccessPolicies", LAST):
        excluded = set(policy["conditions"]["users"]["excludeUsers"])
        assert {u["id"] for u in glass} <= excluded, policy["displayName"]


def test_mfa_registration_is_mostly_done_and_matches_users(tenant: SimTenant) -> None:
    users = {u["id"]: u for u in tenant.collection("users", LAST)}
    details = tenant.collection("userRegistrationDetails", LAST)
    assert {d["id"] for d in details} <= set(users)
    for d in details:
        assert d["userPrincipalName"] == users[d["id"]]["userPrincipalName"]
        assert d["isMfaRegistered"] == bool(d["methodsRegistered"])
    members = [d for d in details if d["userType"] == "member"]
    registered = [d for d in members if d["isMfaRegistered"]]
    assert 0.75 <= len(registered) / len(members) < 1.0
    admins = {a["principalId"] for a in tenant.collection("roleAssignments", LAST)}
    assert {d["id"] for d in details if d["isAdmin"]} == admins & {d["id"] for d in details}


def test_references_point_at_existing_objects(tenant: SimTenant) -> None:
    users = {u["id"] for u in tenant.collection("users", LAST)}
    groups = {g["id"]: g for g in tenant.collection("groups", LAST)}
    roles = {r["id"] for r in tenant.collection("roleDefinitions", LAST)}
    for a in tenant.collection("roleAssignments", LAST):
        assert a["principalId"] in users and a["roleDefinitionId"] in roles
    for e in tenant.collection("roleEligibilityScheduleInstances", LAST):
        assert e["principalId"] in users and e["roleDefinitionId"] in roles
    for policy in tenant.collection("conditionalAccessPolicies", LAST):
        cond = policy["conditions"]["users"]
        assert set(cond["excludeUsers"]) <= users
        assert set(cond["excludeGroups"]) | set(cond["includeGroups"]) <= set(groups)
        assert set(cond["includeRoles"]) <= roles
    for device in tenant.collection("managedDevices", LAST):
        assert device["userId"] in users
    for box in tenant.exchange("Get-Mailbox", {}, LAST):
        assert box["ExternalDirectoryObjectId"] in users
        rules = tenant.children("messageRules", box["ExternalDirectoryObjectId"], LAST)
        assert rules is not None
    exclusions = next(g for g in groups.values() if g["displayName"] == "CA-Exclusions")
    members = tenant.children("groupMembers", exclusions["id"], LAST)
    assert members and {m["id"] for m in members} <= users
    assert tenant.children("groupMembers", "no-such-group", LAST) is None
    assert tenant.children("messageRules", "no-such-user", LAST) is None


def test_some_mailboxes_forward_outside_and_rules_match_graph(tenant: SimTenant) -> None:
    rules = tenant.exchange("Get-InboxRule", {}, LAST)
    forwarding = [r for r in rules if r["ForwardTo"] or r["RedirectTo"]]
    assert len(forwarding) < len(rules) * 0.2
    owner = rules[0]["MailboxOwnerId"]
    own = tenant.exchange("Get-InboxRule", {"Mailbox": owner}, LAST)
    assert own and all(r["MailboxOwnerId"] == owner for r in own)
    with pytest.raises(KeyError):
        tenant.exchange("Get-InboxRule", {"Mailbox": "nobody@nowhere.example"}, LAST)
    boxes = tenant.exchange("Get-Mailbox", {}, LAST)
    assert {b["RecipientTypeDetails"] for b in boxes} == {"UserMailbox", "SharedMailbox"}


def test_targeted_user_protection_covers_most_but_not_all_vips(tenant: SimTenant) -> None:
    users = tenant.collection("users", date(2026, 10, 22))
    vips = {
        u["userPrincipalName"]
        for u in users
        if u["department"] in ("Executive", "Finance") and u["userType"] == "Member"
    }
    policy = next(p for p in tenant.exchange("Get-AntiPhishPolicy", {}, LAST) if not p["IsDefault"])
    covered = {entry.split(";")[1] for entry in policy["TargetedUsersToProtect"]}
    assert covered < vips | covered
    assert 0.6 <= len(covered & vips) / len(vips) < 1.0


def test_most_devices_are_compliant_with_a_stale_tail(tenant: SimTenant) -> None:
    devices = tenant.collection("managedDevices", LAST)
    states = [d["complianceState"] for d in devices]
    assert states.count("compliant") / len(states) >= 0.8
    assert "noncompliant" in states
    assert {d["operatingSystem"] for d in devices} >= {"Windows", "macOS", "iOS"}
    stale = [d for d in devices if d["lastSyncDateTime"] < "2026-10-20"]
    assert 0 < len(stale) < len(devices) * 0.15


def test_defender_machines_link_to_devices_and_carry_aging_vulnerabilities(
    tenant: SimTenant,
) -> None:
    devices = {d["azureADDeviceId"] for d in tenant.collection("managedDevices", LAST)}
    machines = tenant.mde_machines(LAST)
    assert machines and all(len(m["id"]) == 40 for m in machines)
    assert {m["aadDeviceId"] for m in machines} <= devices
    assert len(machines) < len(devices)  # not every device is onboarded
    vulns = [v for m in machines for v in tenant.mde_vulnerabilities(m["id"], LAST) or []]
    assert vulns and all(v["id"].startswith("CVE-") and v["firstSeen"] for v in vulns)
    assert {v["severity"] for v in vulns} >= {"High", "Critical"}
    assert tenant.mde_vulnerabilities("0" * 40, LAST) is None


def test_secure_score_has_ninety_daily_points_summing_its_controls(tenant: SimTenant) -> None:
    points = tenant.collection("secureScores", LAST)
    assert len(points) == 90
    assert points[0]["createdDateTime"].startswith("2026-11-20")
    first = points[0]
    assert first["currentScore"] == pytest.approx(sum(c["score"] for c in first["controlScores"]))
    assert first["currentScore"] <= first["maxScore"]


def test_sign_ins_on_working_days_include_legacy_and_failures(tenant: SimTenant) -> None:
    day = date(2026, 11, 19)  # a Thursday
    sign_ins = tenant.events_on("signIns", day)
    active = [u for u in tenant.collection("users", day) if u["userType"] == "Member"]
    assert 1.5 * len(active) <= len(sign_ins) <= 6 * len(active)
    times = [s["createdDateTime"] for s in sign_ins]
    assert times == sorted(times, reverse=True)
    assert all(t.startswith("2026-11-19") for t in times)
    assert {s["clientAppUsed"] for s in sign_ins} & {"Authenticated SMTP", "IMAP4"}
    assert any(s["status"]["errorCode"] for s in sign_ins)
    assert tenant.events_on("signIns", date(2026, 11, 21)) == []  # after the last day
    first = date(2026, 11, 10)
    total = tenant.event_total("signIns", first, day)
    assert total == sum(len(tenant.events_on("signIns", date(2026, 11, d))) for d in range(10, 20))
    devices = {d["azureADDeviceId"]: d for d in tenant.collection("managedDevices", day)}
    managed = [s for s in sign_ins if s["deviceDetail"]["isManaged"]]
    assert len(managed) > len(sign_ins) / 2
    for s in managed:
        device = devices[s["deviceDetail"]["deviceId"]]
        assert device["userId"] == s["userId"]
        assert s["deviceDetail"]["isCompliant"] == (device["complianceState"] == "compliant")


def test_alerts_are_triaged_over_hours_and_linked_to_incidents(tenant: SimTenant) -> None:
    alerts = [a for d in range(1, 20) for a in tenant.events_on("alerts", date(2026, 11, d))]
    assert {a["status"] for a in alerts} == {"resolved"}
    assert any(a["title"] == "Email reported by user as malware or phish" for a in alerts)
    incidents = {
        i["id"] for d in range(1, 20) for i in tenant.events_on("incidents", date(2026, 11, d))
    }
    assert {a["incidentId"] for a in alerts} == incidents
    resolved = alerts[0]
    assert resolved["createdDateTime"] < resolved["lastUpdateDateTime"]
    assert resolved["assignedTo"] and resolved["classification"]


@pytest.mark.parametrize(
    ("mix", "present", "absent"),
    [
        ("business-premium", {"entra_p1", "intune", "mdo_p1", "mde"}, {"entra_p2", "mdo_p2"}),
        ("e3", {"entra_p1", "intune", "exchange"}, {"mdo_p1", "mde", "entra_p2"}),
        ("e5", {"entra_p1", "entra_p2", "mdo_p1", "mdo_p2", "mde"}, set()),
    ],
)
def test_licence_mixes_gate_data(mix: str, present: set[str], absent: set[str]) -> None:
    t = build_tenant(seed=2, users=60, days=3, last_day=LAST, licence_mix=mix)
    assert all(t.licensed(f) for f in present)
    assert not any(t.licensed(f) for f in absent)
    skus = t.collection("subscribedSkus", LAST)
    assert len(skus) == 1
    assert bool(t.mde_machines(LAST)) == ("mde" in present)
    assert bool(t.collection("roleEligibilityScheduleInstances", LAST)) == ("entra_p2" in present)
    assert bool(t.exchange("Get-SafeLinksPolicy", {}, LAST)) == ("mdo_p1" in present)
    assert bool(t.collection("attackSimulations", LAST)) == ("mdo_p2" in present)
    names = {p["displayName"] for p in t.collection("conditionalAccessPolicies", LAST)}
    assert ("Sign-in risk: require MFA" in names) == ("entra_p2" in present)


def test_attack_simulations_report_more_and_fall_for_less_over_time() -> None:
    t = build_tenant(seed=9, users=600, days=30, last_day=LAST, licence_mix="e5")
    sims = sorted(t.collection("attackSimulations", LAST), key=lambda s: s["launchDateTime"])
    done = [s for s in sims if s["status"] == "succeeded"]
    assert len(done) >= 4
    rates = []
    for sim in (done[0], done[-1]):
        users = t.children("simulationUsers", sim["id"], LAST) or []
        rates.append(sum(1 for u in users if u["reportedPhishDateTime"]) / len(users))
    assert rates[0] < rates[1]
