"""What each simulated Graph v1.0 endpoint requires and allows: roles, licence, limit
class, page sizes and the query options Graph documents for it.

Page sizes and maxima follow Microsoft's documentation where it gives them (users 100 by
default and at most 999, 500 with signInActivity selected; signIns at most 1,000;
incidents at most 50); elsewhere the simulator picks a plausible value (see
docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.simulator.contract import (
    GRAPH_CHILDREN,
    GRAPH_COLLECTIONS,
    GRAPH_SINGLETONS,
    GRAPH_STREAMS,
)
from cosec.simulator.throttle import LimitClass

L = LimitClass

_DIR_READ = ("Directory.Read.All", "Directory.ReadWrite.All")


@dataclass(frozen=True)
class EndpointSpec:
    key: str
    kind: str  # collection | singleton | children | stream
    path: str  # Graph path under /v1.0 ({id} for the parent of children)
    roles: tuple[str, ...]  # any one of them grants read access
    limit: LimitClass
    feature: str | None = None
    default_top: int | None = None  # None: the whole collection in one page
    max_top: int | None = None
    filterable: frozenset[str] = frozenset()
    orderable: frozenset[str] = frozenset()
    expandable: frozenset[str] = frozenset()
    time_field: str | None = None  # streams: the property events are partitioned by
    ru_cost: int = 1

    @property
    def directory(self) -> bool:
        return self.limit is LimitClass.DIRECTORY


def _f(*names: str) -> frozenset[str]:
    return frozenset(names)


_COLLECTION_RULES: dict[str, dict[str, object]] = {
    "users": {
        "roles": ("User.Read.All", "User.ReadWrite.All", *_DIR_READ),
        "limit": L.DIRECTORY,
        "default_top": 100,
        "max_top": 999,
        "ru_cost": 2,
        "filterable": _f(
            "id",
            "accountEnabled",
            "userType",
            "createdDateTime",
            "displayName",
            "userPrincipalName",
            "mail",
            "department",
            "jobTitle",
            "onPremisesSyncEnabled",
            "signInActivity/lastSignInDateTime",
            "signInActivity/lastSuccessfulSignInDateTime",
        ),
        "orderable": _f("displayName", "userPrincipalName", "createdDateTime"),
    },
    "groups": {
        "roles": ("GroupMember.Read.All", "Group.Read.All", *_DIR_READ),
        "limit": L.DIRECTORY,
        "default_top": 100,
        "max_top": 999,
        "filterable": _f(
            "id", "displayName", "securityEnabled", "mailEnabled", "isAssignableToRole"
        ),
        "orderable": _f("displayName"),
    },
    "subscribedSkus": {
        "roles": ("Organization.Read.All", "LicenseAssignment.Read.All", *_DIR_READ),
        "limit": L.DIRECTORY,
    },
    "organization": {
        "roles": ("Organization.Read.All", *_DIR_READ),
        "limit": L.DIRECTORY,
    },
    "domains": {"roles": ("Domain.Read.All", *_DIR_READ), "limit": L.DIRECTORY},
    "roleDefinitions": {
        "roles": ("RoleManagement.Read.Directory", "RoleManagement.Read.All", *_DIR_READ),
        "limit": L.DIRECTORY,
        "filterable": _f("id", "displayName", "isBuiltIn", "templateId"),
    },
    "roleAssignments": {
        "roles": (
            "RoleManagement.Read.Directory",
            "RoleManagement.ReadWrite.Directory",  # write permissions include reading
            "RoleManagement.Read.All",
            *_DIR_READ,
        ),
        "limit": L.DIRECTORY,
        "filterable": _f("id", "roleDefinitionId", "principalId", "directoryScopeId"),
        "expandable": _f("principal", "roleDefinition"),
    },
    "roleAssignmentScheduleInstances": {
        "roles": (
            "RoleManagement.Read.Directory",
            "RoleAssignmentSchedule.Read.Directory",
            "RoleManagement.Read.All",
        ),
        "limit": L.DIRECTORY,
        "feature": "entra_p2",
        "filterable": _f("roleDefinitionId", "principalId", "directoryScopeId", "assignmentType"),
        "expandable": _f("principal", "roleDefinition"),
    },
    "roleEligibilityScheduleInstances": {
        "roles": (
            "RoleManagement.Read.Directory",
            "RoleEligibilitySchedule.Read.Directory",
            "RoleManagement.Read.All",
        ),
        "limit": L.DIRECTORY,
        "feature": "entra_p2",
        "filterable": _f("roleDefinitionId", "principalId", "directoryScopeId"),
        "expandable": _f("principal", "roleDefinition"),
    },
    "userRegistrationDetails": {
        "roles": ("AuditLog.Read.All",),
        "limit": L.REPORTS,
        "feature": "entra_p1",
        "default_top": 1000,
        "max_top": 1000,
        "filterable": _f(
            "id",
            "userPrincipalName",
            "userType",
            "isAdmin",
            "isMfaCapable",
            "isMfaRegistered",
            "isSsprRegistered",
            "isPasswordlessCapable",
        ),
    },
    "conditionalAccessPolicies": {
        "roles": ("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"),
        "limit": L.CONDITIONAL_ACCESS,
        "feature": "entra_p1",
        "filterable": _f("id", "state", "displayName"),
    },
    "namedLocations": {
        "roles": ("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"),
        "limit": L.CONDITIONAL_ACCESS,
        "feature": "entra_p1",
        "filterable": _f("id", "displayName", "createdDateTime", "modifiedDateTime"),
    },
    "riskyUsers": {
        "roles": ("IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"),
        "limit": L.CONDITIONAL_ACCESS,
        "feature": "entra_p2",
        "default_top": 100,
        "max_top": 500,
        "filterable": _f(
            "id",
            "riskLevel",
            "riskState",
            "riskDetail",
            "riskLastUpdatedDateTime",
            "userPrincipalName",
        ),
        "orderable": _f("riskLastUpdatedDateTime", "userPrincipalName"),
    },
    "managedDevices": {
        "roles": (
            "DeviceManagementManagedDevices.Read.All",
            "DeviceManagementManagedDevices.ReadWrite.All",
        ),
        "limit": L.INTUNE,
        "feature": "intune",
        "default_top": 1000,
        "max_top": 1000,
        "filterable": _f(
            "id",
            "complianceState",
            "operatingSystem",
            "userPrincipalName",
            "lastSyncDateTime",
            "managedDeviceOwnerType",
            "userId",
        ),
    },
    "deviceCompliancePolicies": {
        "roles": (
            "DeviceManagementConfiguration.Read.All",
            "DeviceManagementConfiguration.ReadWrite.All",
        ),
        "limit": L.INTUNE,
        "feature": "intune",
    },
    "secureScores": {
        "roles": ("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"),
        "limit": L.SECURITY,
        "default_top": 100,
        "max_top": 1000,
        "filterable": _f("createdDateTime"),
        "orderable": _f("createdDateTime"),
    },
    "secureScoreControlProfiles": {
        "roles": ("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"),
        "limit": L.SECURITY,
        "default_top": 100,
        "max_top": 1000,
        "filterable": _f("id", "controlCategory", "service", "tier"),
    },
    "attackSimulations": {
        "roles": ("AttackSimulation.Read.All", "AttackSimulation.ReadWrite.All"),
        "limit": L.SECURITY,
        "feature": "mdo_p2",
        "filterable": _f("id", "status", "displayName", "launchDateTime", "completionDateTime"),
    },
}

_SINGLETON_ROLES: dict[str, tuple[str, ...]] = {
    "authenticationMethodsPolicy": (
        "Policy.Read.All",
        "Policy.ReadWrite.AuthenticationMethod",
    ),
    "securityDefaults": ("Policy.Read.All", "Policy.ReadWrite.SecurityDefaults"),
    "authorizationPolicy": ("Policy.Read.All", "Policy.ReadWrite.Authorization"),
    "adminConsentRequestPolicy": ("Policy.Read.All", "Policy.ReadWrite.ConsentRequest"),
    "deviceRegistrationPolicy": (
        "Policy.Read.DeviceConfiguration",
        "Policy.ReadWrite.DeviceConfiguration",
    ),
    "sharepointSettings": (
        "SharePointTenantSettings.Read.All",
        "SharePointTenantSettings.ReadWrite.All",
    ),
}

_CHILD_RULES: dict[str, dict[str, object]] = {
    "groupMembers": {
        "roles": ("GroupMember.Read.All", "Group.Read.All", *_DIR_READ),
        "limit": L.DIRECTORY,
        "default_top": 100,
        "max_top": 999,
    },
    "messageRules": {
        "roles": ("MailboxSettings.Read", "MailboxSettings.ReadWrite"),
        "limit": L.EXCHANGE,
        "feature": "exchange",
    },
    "simulationUsers": {
        "roles": ("AttackSimulation.Read.All", "AttackSimulation.ReadWrite.All"),
        "limit": L.SECURITY,
        "feature": "mdo_p2",
        "default_top": 100,
        "max_top": 1000,
    },
    "compliancePolicyAssignments": {
        "roles": (
            "DeviceManagementConfiguration.Read.All",
            "DeviceManagementConfiguration.ReadWrite.All",
        ),
        "limit": L.INTUNE,
        "feature": "intune",
    },
}

_STREAM_RULES: dict[str, dict[str, object]] = {
    "signIns": {
        "roles": ("AuditLog.Read.All",),
        "limit": L.REPORTS,
        "feature": "entra_p1",
        "default_top": 1000,
        "max_top": 1000,
        "filterable": _f(
            "createdDateTime",
            "id",
            "userId",
            "userPrincipalName",
            "appId",
            "appDisplayName",
            "ipAddress",
            "status/errorCode",
            "conditionalAccessStatus",
            "location/countryOrRegion",
            "location/city",
            "riskLevelDuringSignIn",
            "riskLevelAggregated",
            "riskState",
            "clientAppUsed",
            "isInteractive",
        ),
    },
    "directoryAudits": {
        "roles": ("AuditLog.Read.All",),
        "limit": L.REPORTS,
        "default_top": 1000,
        "max_top": 1000,
        "filterable": _f(
            "activityDateTime",
            "id",
            "activityDisplayName",
            "category",
            "loggedByService",
            "operationType",
            "result",
            "correlationId",
            "initiatedBy/user/id",
            "initiatedBy/user/userPrincipalName",
            "initiatedBy/user/displayName",
            "initiatedBy/app/appId",
            "initiatedBy/app/displayName",
        ),
    },
    "riskDetections": {
        "roles": ("IdentityRiskEvent.Read.All",),
        "limit": L.CONDITIONAL_ACCESS,
        "feature": "entra_p2",
        "default_top": 100,
        "max_top": 500,
        "filterable": _f(
            "detectedDateTime",
            "activityDateTime",
            "lastUpdatedDateTime",
            "id",
            "userId",
            "userPrincipalName",
            "riskLevel",
            "riskState",
            "riskEventType",
            "riskDetail",
            "detectionTimingType",
            "source",
            "ipAddress",
        ),
    },
    "alerts": {
        "roles": ("SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"),
        "limit": L.SECURITY,
        "default_top": 2000,
        "max_top": 2000,
        "filterable": _f(
            "createdDateTime",
            "lastUpdateDateTime",
            "id",
            "incidentId",
            "severity",
            "status",
            "classification",
            "determination",
            "serviceSource",
            "detectionSource",
            "assignedTo",
            "category",
            "title",
        ),
    },
    "incidents": {
        "roles": ("SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"),
        "limit": L.SECURITY,
        "default_top": 50,
        "max_top": 50,
        "filterable": _f(
            "createdDateTime",
            "lastUpdateDateTime",
            "id",
            "severity",
            "status",
            "classification",
            "determination",
            "assignedTo",
            "displayName",
        ),
        "expandable": _f("alerts"),
    },
}


def _spec(
    key: str, kind: str, path: str, rules: dict[str, object], **extra: object
) -> EndpointSpec:
    return EndpointSpec(key=key, kind=kind, path=path, **rules, **extra)  # type: ignore[arg-type]


def build_specs() -> dict[str, EndpointSpec]:
    specs: dict[str, EndpointSpec] = {}
    for key, path in GRAPH_COLLECTIONS.items():
        specs[key] = _spec(key, "collection", path, _COLLECTION_RULES[key])
    for key, path in GRAPH_SINGLETONS.items():
        specs[key] = EndpointSpec(
            key=key, kind="singleton", path=path, roles=_SINGLETON_ROLES[key], limit=L.DIRECTORY
        )
    for key, path in GRAPH_CHILDREN.items():
        specs[key] = _spec(key, "children", path, _CHILD_RULES[key])
    for key, (path, time_field) in GRAPH_STREAMS.items():
        specs[key] = _spec(key, "stream", path, _STREAM_RULES[key], time_field=time_field)
    return specs


SPECS: dict[str, EndpointSpec] = build_specs()
