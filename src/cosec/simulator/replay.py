"""Serve a saved set of raw collections (the collector's raw format) as a tenant.

`raw` maps resource keys (the product's vocabulary, e.g. "mailboxes", "mdeMachines",
"roleEligibilitySchedules") to lists of raw objects; `per_parent` maps per-parent keys
("groupMembers", "messageRules", "mdeVulnerabilities", "compliancePolicyAssignments") to
{parent id: raw objects}; `events` maps stream keys to raw events. Every object is served
unchanged for every day of the window, and the response actions work on it as on a
generated tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta

from cosec.simulator.history import Collection, Json
from cosec.simulator.org import features_of
from cosec.simulator.seeding import at
from cosec.simulator.tenant import SimTenant

GRAPH_KEYS = {
    "organization": "organization",
    "domains": "domains",
    "subscribedSkus": "subscribedSkus",
    "users": "users",
    "groups": "groups",
    "roleDefinitions": "roleDefinitions",
    "roleAssignments": "roleAssignments",
    "roleEligibilitySchedules": "roleEligibilityScheduleInstances",
    "roleAssignmentSchedules": "roleAssignmentScheduleInstances",
    "userRegistrationDetails": "userRegistrationDetails",
    "conditionalAccessPolicies": "conditionalAccessPolicies",
    "namedLocations": "namedLocations",
    "riskyUsers": "riskyUsers",
    "managedDevices": "managedDevices",
    "deviceCompliancePolicies": "deviceCompliancePolicies",
    "secureScores": "secureScores",
    "secureScoreControlProfiles": "secureScoreControlProfiles",
    "attackSimulations": "attackSimulations",
}
SINGLETON_KEYS = (
    "authenticationMethodsPolicy",
    "securityDefaults",
    "authorizationPolicy",
    "adminConsentRequestPolicy",
    "deviceRegistrationPolicy",
    "sharepointSettings",
)
CMDLET_KEYS = {
    "antiPhishPolicies": "Get-AntiPhishPolicy",
    "antiPhishRules": "Get-AntiPhishRule",
    "outboundSpamPolicies": "Get-HostedOutboundSpamFilterPolicy",
    "safeLinksPolicies": "Get-SafeLinksPolicy",
    "safeAttachmentPolicies": "Get-SafeAttachmentPolicy",
    "dkimSigningConfigs": "Get-DkimSigningConfig",
    "adminAuditLogConfig": "Get-AdminAuditLogConfig",
    "organizationConfig": "Get-OrganizationConfig",
    "remoteDomains": "Get-RemoteDomain",
    "transportConfig": "Get-TransportConfig",
    "externalInOutlook": "Get-ExternalInOutlook",
    "sharingPolicies": "Get-SharingPolicy",
    "malwareFilterPolicies": "Get-MalwareFilterPolicy",
    "hostedContentFilterPolicies": "Get-HostedContentFilterPolicy",
    "connectionFilterPolicies": "Get-HostedConnectionFilterPolicy",
    "eopProtectionPolicyRules": "Get-EOPProtectionPolicyRule",
    "atpProtectionPolicyRules": "Get-ATPProtectionPolicyRule",
}
CHILD_KEYS = ("groupMembers", "compliancePolicyAssignments", "simulationUsers")
ChildReader = Callable[[str, date], list[Json] | None]


def tenant_from_snapshot(
    raw: Mapping[str, Sequence[Json]],
    *,
    per_parent: Mapping[str, Mapping[str, Sequence[Json]]] | None = None,
    events: Mapping[str, Sequence[Json]] | None = None,
    name: str = "replay",
    last_day: date,
    days: int = 1,
) -> SimTenant:
    """A tenant serving `raw` (and the optional per-parent objects and events)."""
    known = {*GRAPH_KEYS, *SINGLETON_KEYS, *CMDLET_KEYS, "mailboxes", "mdeMachines"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"unknown resource keys {unknown}; known: {sorted(known)}")
    per_parent = per_parent or {}
    orgs = list(raw.get("organization", []))
    domains = [d for d in raw.get("domains", []) if d.get("isDefault")]
    t = SimTenant(
        tenant_id=str(orgs[0]["id"]) if orgs else "00000000-0000-0000-0000-000000000000",
        name=name,
        primary_domain=str(domains[0]["id"]) if domains else f"{name}.example",
        first_day=last_day - timedelta(days=days - 1),
        last_day=last_day,
        seed=0,
    )
    since = at(t.first_day - timedelta(days=1))
    t.features = features_of(list(raw.get("subscribedSkus", [])))
    for key, ours in GRAPH_KEYS.items():
        t.graph[ours] = _collection(raw.get(key, []), "id", since)
    for key in SINGLETON_KEYS:
        coll = Collection()
        for obj in raw.get(key, [])[:1]:
            coll.add(key, since, dict(obj))
        t.singles[key] = coll
    for key, cmdlet in CMDLET_KEYS.items():
        t.cmdlets[cmdlet] = _collection(raw.get(key, []), "Identity", since)
    t.mailboxes = _collection(raw.get("mailboxes", []), "ExternalDirectoryObjectId", since)
    for user_id, rules in per_parent.get("messageRules", {}).items():
        for rule in rules:
            t.add_rule(user_id, dict(rule), since)
    t.child_readers["messageRules"] = t.rules_of
    for key in CHILD_KEYS:
        t.child_readers[key] = _children(t, key, per_parent.get(key, {}))
    t.machines = _collection(raw.get("mdeMachines", []), "id", since)
    vulns = per_parent.get("mdeVulnerabilities", {})

    def vulnerabilities(machine_id: str, day: date) -> list[Json] | None:
        if t.machines.get(machine_id, day) is None:
            return None
        return [dict(v) for v in vulns.get(machine_id, [])]

    t.vulnerability_reader = vulnerabilities
    for stream, items in (events or {}).items():
        for event in items:
            t.events.plant(stream, dict(event))
    return t


def _collection(objects: Sequence[Json], id_field: str, since: datetime) -> Collection:
    coll = Collection()
    for obj in objects:
        coll.add(str(obj[id_field]), since, dict(obj))
    return coll


def _children(t: SimTenant, key: str, items: Mapping[str, Sequence[Json]]) -> ChildReader:
    parents = {
        "groupMembers": "groups",
        "compliancePolicyAssignments": "deviceCompliancePolicies",
        "simulationUsers": "attackSimulations",
    }[key]

    def read(parent_id: str, day: date) -> list[Json] | None:
        if t.graph[parents].get(parent_id, day) is None:
            return None
        return [dict(obj) for obj in items.get(parent_id, [])]

    return read
