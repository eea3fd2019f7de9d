"""The contract between the simulated tenant (data) and the API apps (HTTP).

`cosec.simulator.tenant` builds objects satisfying `TenantData`; `cosec.simulator.api`
serves them. Everything is JSON in Microsoft's own shapes: Graph v1.0 (camelCase, as in
the v1.0 schema), Exchange admin API cmdlet output (PascalCase properties, as
PowerShell returns them) and Defender for Endpoint API (camelCase). The API layer applies
`$select`, `$filter`, `$top`, paging, throttling and permissions; the data layer only
knows the tenant.

Time: a tenant has a history of days ending at `last_day`. Reads take `day`, the
simulated date to serve the tenant as of (state at the end of that day; events up to it).
Events are produced lazily per day from the seed, so large tenants start fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, Protocol

Json = dict[str, Any]

# Graph collections served as lists (key → Graph path under /v1.0):
GRAPH_COLLECTIONS: dict[str, str] = {
    "users": "users",
    "groups": "groups",
    "subscribedSkus": "subscribedSkus",
    "organization": "organization",
    "domains": "domains",
    "roleDefinitions": "roleManagement/directory/roleDefinitions",
    "roleAssignments": "roleManagement/directory/roleAssignments",
    "roleEligibilityScheduleInstances": "roleManagement/directory/roleEligibilityScheduleInstances",
    "roleAssignmentScheduleInstances": "roleManagement/directory/roleAssignmentScheduleInstances",
    "userRegistrationDetails": "reports/authenticationMethods/userRegistrationDetails",
    "conditionalAccessPolicies": "identity/conditionalAccess/policies",
    "namedLocations": "identity/conditionalAccess/namedLocations",
    "riskyUsers": "identityProtection/riskyUsers",
    "managedDevices": "deviceManagement/managedDevices",
    "deviceCompliancePolicies": "deviceManagement/deviceCompliancePolicies",
    "secureScores": "security/secureScores",
    "secureScoreControlProfiles": "security/secureScoreControlProfiles",
    "attackSimulations": "security/attackSimulation/simulations",
}

# Graph singletons (key → path):
GRAPH_SINGLETONS: dict[str, str] = {
    "authenticationMethodsPolicy": "policies/authenticationMethodsPolicy",
    "securityDefaults": "policies/identitySecurityDefaultsEnforcementPolicy",
    "authorizationPolicy": "policies/authorizationPolicy",
    "adminConsentRequestPolicy": "policies/adminConsentRequestPolicy",
    "deviceRegistrationPolicy": "policies/deviceRegistrationPolicy",
    "sharepointSettings": "admin/sharepoint/settings",
}

# Children of one parent object (key → path template):
GRAPH_CHILDREN: dict[str, str] = {
    "groupMembers": "groups/{id}/transitiveMembers",
    "messageRules": "users/{id}/mailFolders/inbox/messageRules",
    "simulationUsers": "security/attackSimulation/simulations/{id}/report/simulationUsers",
    "compliancePolicyAssignments": "deviceManagement/deviceCompliancePolicies/{id}/assignments",
}

# Event streams (key → Graph path, time property). Served newest first.
GRAPH_STREAMS: dict[str, tuple[str, str]] = {
    "signIns": ("auditLogs/signIns", "createdDateTime"),
    "directoryAudits": ("auditLogs/directoryAudits", "activityDateTime"),
    "riskDetections": ("identityProtection/riskDetections", "detectedDateTime"),
    "alerts": ("security/alerts_v2", "createdDateTime"),
    "incidents": ("security/incidents", "createdDateTime"),
}

EXCHANGE_CMDLETS = (
    "Get-AntiPhishPolicy",
    "Get-AntiPhishRule",
    "Get-Mailbox",
    "Get-HostedOutboundSpamFilterPolicy",
    "Get-InboxRule",  # takes Parameters {"Mailbox": upn}
    "Get-SafeLinksPolicy",
    "Get-SafeAttachmentPolicy",
    "Get-DkimSigningConfig",
    "Get-AdminAuditLogConfig",
    "Get-OrganizationConfig",
    "Get-RemoteDomain",
    "Get-TransportConfig",
    "Get-ExternalInOutlook",
    "Get-SharingPolicy",
    "Get-MalwareFilterPolicy",
    "Get-HostedContentFilterPolicy",
    "Get-HostedConnectionFilterPolicy",
    "Get-EOPProtectionPolicyRule",
    "Get-ATPProtectionPolicyRule",
)

# Licence features a tenant may have (decided by its SKUs):
FEATURES = ("entra_p1", "entra_p2", "intune", "exchange", "mdo_p1", "mdo_p2", "mde")

# Data that exists only with a licence feature (key of a collection, child, stream, cmdlet
# or "mdeMachines"/"mdeVulnerabilities" -> feature). Without it the data layer holds
# nothing; the API answers the way Microsoft does for an unlicensed tenant.
LICENSED_BY: dict[str, str] = {
    "userRegistrationDetails": "entra_p1",
    "conditionalAccessPolicies": "entra_p1",
    "namedLocations": "entra_p1",
    "signIns": "entra_p1",
    "roleEligibilityScheduleInstances": "entra_p2",
    "roleAssignmentScheduleInstances": "entra_p2",
    "riskyUsers": "entra_p2",
    "riskDetections": "entra_p2",
    "managedDevices": "intune",
    "deviceCompliancePolicies": "intune",
    "compliancePolicyAssignments": "intune",
    "attackSimulations": "mdo_p2",
    "simulationUsers": "mdo_p2",
    "messageRules": "exchange",
    "Get-SafeLinksPolicy": "mdo_p1",
    "Get-SafeAttachmentPolicy": "mdo_p1",
    "Get-ATPProtectionPolicyRule": "mdo_p1",
    "mdeMachines": "mde",
    "mdeVulnerabilities": "mde",
}

# Objects a TenantData returns are its own state, shared between reads: callers must not
# mutate them (copy first).


class TenantData(Protocol):
    tenant_id: str
    name: str
    primary_domain: str
    first_day: date
    last_day: date

    def licensed(self, feature: str) -> bool: ...

    def collection(self, key: str, day: date) -> Sequence[Json]: ...

    def singleton(self, key: str, day: date) -> Json: ...

    def children(self, key: str, parent_id: str, day: date) -> Sequence[Json] | None:
        """None when the parent does not exist (the API answers 404)."""
        ...

    def exchange(self, cmdlet: str, parameters: Json, day: date) -> Sequence[Json]: ...

    def mde_machines(self, day: date) -> Sequence[Json]: ...

    def mde_vulnerabilities(self, machine_id: str, day: date) -> Sequence[Json] | None: ...

    def events_on(self, stream: str, day: date) -> Sequence[Json]:
        """Every event of `stream` on `day`, newest first (generated lazily, cached)."""
        ...

    def event_total(self, stream: str, first: date, last: date) -> int: ...

    # --- response actions: change state as of `last_day`, append audit events, return
    # the object Microsoft's API returns (or None for 204). Raise KeyError if not found.
    def revoke_sessions(self, user_id: str) -> Json: ...

    def set_account_enabled(self, user_id: str, enabled: bool) -> None: ...

    def confirm_compromised(self, user_ids: Sequence[str]) -> None: ...

    def dismiss_risk(self, user_ids: Sequence[str]) -> None: ...

    def delete_message_rule(self, user_id: str, rule_id: str) -> None: ...

    def delete_role_assignment(self, assignment_id: str) -> None: ...

    def set_mailbox_forwarding(self, identity: str, address: str | None) -> Json: ...

    def machine_action(self, machine_id: str, action: str, comment: str) -> Json:
        """action: 'isolate' | 'unisolate'; returns the machineAction object."""
        ...

    def machine_actions(self) -> Sequence[Json]: ...

    def change(self, kind: str, object_id: str, patch: Json, actor_upn: str) -> Json:
        """Apply an administrative change now (e.g. kind='conditionalAccessPolicy', patch
        {'state': 'disabled'}), recording a directoryAudit event by `actor_upn`. Used by
        scenarios and by the simulator's control API to make drift happen on demand."""
        ...


def iter_days(first: date, last: date) -> Iterator[date]:
    from datetime import timedelta

    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)
