from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cosec.config import RiskTier
from cosec.metrics.facts import Missing
from cosec.metrics.from_snapshot import (
    device_facts,
    impersonation_facts,
    secure_scores,
    user_facts,
    vulnerability_history,
)
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.model.view import GLOBAL_ADMIN, TenantView

T0 = datetime(2026, 10, 1, tzinfo=UTC)
TIERS = {
    "admins": RiskTier(privileged_roles=True),
    "finance": RiskTier(departments=("Finance",)),
    "executives": RiskTier(users=("ceo@contoso.com",)),
}


def _user(uid: str, dept: str | None = None, enabled: bool = True) -> dict[str, Any]:
    return {
        "id": uid,
        "userPrincipalName": f"{uid}@contoso.com",
        "displayName": uid,
        "accountEnabled": enabled,
        "userType": "Member",
        "department": dept,
    }


def _snapshot(
    raw: dict[str, Any], children: dict[str, Any] | None = None, **fail: str
) -> TenantView:
    outcomes = {k: ResourceOutcome(k, Outcome.OK, item_count=len(v)) for k, v in raw.items()}
    for k in children or {}:
        outcomes[k] = ResourceOutcome(k, Outcome.OK)
    for k, perm in fail.items():
        outcomes[k] = ResourceOutcome(k, Outcome.NOT_ASSESSED, "forbidden", permission=perm)
    return TenantView.from_snapshot(
        Snapshot("main", T0, outcomes, raw, raw_per_parent=children or {})
    )


USERS = [_user("admin"), _user("fin", "Finance"), _user("ceo"), _user("off", enabled=False)]
REG = [
    {"id": "admin", "userPrincipalName": "admin@contoso.com", "isMfaRegistered": True},
    {"id": "fin", "userPrincipalName": "fin@contoso.com", "isMfaRegistered": False},
    {"id": "ceo", "userPrincipalName": "ceo@contoso.com", "isMfaRegistered": True},
]
CA = [
    {
        "id": "p1",
        "displayName": "MFA for all",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": ["ceo"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    },
    {
        "id": "p2",
        "displayName": "Risky only",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["ceo"]},
            "applications": {"includeApplications": ["All"]},
            "signInRiskLevels": ["high"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    },
]
ROLES = [
    {"id": "a1", "principalId": "admin", "roleDefinitionId": GLOBAL_ADMIN, "directoryScopeId": "/"}
]


def test_users_carry_tiers_registration_and_enforced_grants() -> None:
    view = _snapshot(
        {
            "users": USERS,
            "userRegistrationDetails": REG,
            "conditionalAccessPolicies": CA,
            "roleAssignments": ROLES,
            "groups": [],
        },
        {"groupMembers": {}},
    )
    facts = user_facts(view, TIERS)
    assert not isinstance(facts, Missing)
    by_id = {f.id: f for f in facts}
    assert by_id["admin"].tiers == {"admins"}
    assert by_id["fin"].tiers == {"finance"}
    assert by_id["ceo"].tiers == {"executives"}
    assert by_id["admin"].enforced_grants == {"mfa"}
    assert (
        by_id["ceo"].enforced_grants == frozenset()
    )  # excluded; risk-only policy is not always-on
    assert by_id["fin"].mfa_registered is False
    assert by_id["off"].enabled is False


def test_unreadable_resources_become_unknown_or_missing_with_permission() -> None:
    view = _snapshot({"users": USERS})
    assert isinstance(user_facts(view, TIERS), Missing)  # privileged tier needs role data
    view = _snapshot(
        {"users": USERS, "roleAssignments": ROLES, "groups": []},
        {"groupMembers": {}},
        userRegistrationDetails="AuditLog.Read.All",
        conditionalAccessPolicies="Policy.Read.All",
    )
    facts = user_facts(view, TIERS)
    assert not isinstance(facts, Missing)
    assert all(f.mfa_registered is None and f.enforced_grants is None for f in facts)
    gone = user_facts(_snapshot({}, users="User.Read.All"), TIERS)
    assert isinstance(gone, Missing)
    assert "User.Read.All" in gone.reason


def test_devices_join_intune_and_defender_and_judge_the_baseline() -> None:
    view = _snapshot(
        {
            "mdeMachines": [
                {
                    "id": "m1",
                    "computerDnsName": "pc1.contoso.com",
                    "osPlatform": "Windows11",
                    "osBuild": 26100,
                    "onboardingStatus": "Onboarded",
                },
                {
                    "id": "m2",
                    "computerDnsName": "pc2.contoso.com",
                    "osPlatform": "Windows10",
                    "osBuild": 19045,
                    "onboardingStatus": "Onboarded",
                },
            ],
            "managedDevices": [
                {
                    "id": "d1",
                    "deviceName": "PC1",
                    "operatingSystem": "Windows",
                    "osVersion": "10.0.26100.2033",
                },
                {"id": "d3", "deviceName": "mac1", "operatingSystem": "macOS", "osVersion": "14.6"},
            ],
        }
    )
    facts = device_facts(view, {"Windows": "10.0.26100", "macOS": "15.0"})
    assert not isinstance(facts, Missing)
    got = {f.name: (f.edr_onboarded, f.on_patch_baseline) for f in facts}
    assert got == {"pc1": (True, True), "pc2": (True, False), "mac1": (False, False)}
    assert isinstance(device_facts(_snapshot({}, mdeMachines="Machine.Read.All"), {}), Missing)


def test_vulnerability_lifetimes_across_snapshots() -> None:
    machines = [{"id": "m1", "computerDnsName": "pc1", "osPlatform": "Windows11", "osBuild": 1}]

    def day(n: int, cves: list[str]) -> TenantView:
        raw = {"mdeMachines": machines}
        kids = {"mdeVulnerabilities": {"m1": [{"id": c, "severity": "High"} for c in cves]}}
        view = _snapshot(raw, kids)
        view.snapshot.taken_at = T0 + timedelta(days=n)
        return view

    facts = vulnerability_history(
        [day(0, ["CVE-1"]), day(1, ["CVE-1", "CVE-2"]), day(2, ["CVE-2"])]
    )
    assert not isinstance(facts, Missing)
    got = {f.id: (f.first_seen, f.remediated_at, f.severity) for f in facts}
    assert got["CVE-1"] == (T0, T0 + timedelta(days=2), "high")
    assert got["CVE-2"] == (T0 + timedelta(days=1), None, "high")
    assert isinstance(vulnerability_history([]), Missing)


def test_secure_score_and_impersonation() -> None:
    view = _snapshot(
        {
            "users": USERS,
            "secureScores": [
                {
                    "id": "s2",
                    "createdDateTime": "2026-09-30T00:00:00Z",
                    "currentScore": 50.0,
                    "maxScore": 100.0,
                },
                {
                    "id": "s1",
                    "createdDateTime": "2026-09-29T00:00:00Z",
                    "currentScore": 40.0,
                    "maxScore": 100.0,
                },
            ],
            "antiPhishPolicies": [
                {
                    "Name": "Exec protection",
                    "Enabled": True,
                    "EnableTargetedUserProtection": True,
                    "TargetedUsersToProtect": ["CEO;ceo@contoso.com"],
                    "WhenChangedUTC": "2026-08-01T00:00:00Z",
                },
                {
                    "Name": "Office365 AntiPhish Default",
                    "IsDefault": True,
                    "EnableTargetedUserProtection": False,
                },
            ],
            "groups": [],
            "roleAssignments": [],
            "antiPhishRules": [
                {
                    "Name": "Exec protection",
                    "AntiPhishPolicy": "Exec protection",
                    "State": "Enabled",
                }
            ],
        },
        {"groupMembers": {}},
    )
    points = secure_scores(view)
    assert not isinstance(points, Missing)
    assert [p.score for p in points] == [40.0, 50.0]
    users = user_facts(view, TIERS)
    facts, reviewed = impersonation_facts(view, users, ("executives", "finance"))
    assert not isinstance(facts, Missing)
    assert {(f.user, f.protected) for f in facts} == {
        ("ceo@contoso.com", True),
        ("fin@contoso.com", False),
    }
    assert reviewed == datetime(2026, 8, 1, tzinfo=UTC)
