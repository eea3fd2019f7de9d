"""How each resource and stream key is read: endpoint or cmdlet, $select, page size, strategy.

The keys, permissions and licences come from `cosec.model.resources`; this module adds
only the "how". `$select` lists name what controls and reports use, so responses stay
small; `$top` is set to the documented maximum where Microsoft documents one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cosec.model.resources import RESOURCES, STREAMS, ResourceSpec, StreamSpec


class Strategy(StrEnum):
    LIST = "list"  # a paged collection
    SINGLETON = "singleton"  # one object
    CHILDREN = "children"  # a collection per parent object, read through $batch
    CMDLET = "cmdlet"  # an Exchange Online cmdlet through InvokeCommand
    GROUPED = "grouped"  # one export listing items of every parent, grouped by parent id


@dataclass(frozen=True)
class ResourceFetch:
    spec: ResourceSpec
    strategy: Strategy
    path: str  # Graph/Defender path (children: with "{id}"), or the cmdlet name
    select: tuple[str, ...] = ()
    top: int | None = None
    params: dict[str, str] = field(default_factory=dict)
    max_pages: int | None = None  # history collections: only the newest page(s)
    group_by: str | None = None  # GROUPED: the property holding the parent id

    @property
    def key(self) -> str:
        return self.spec.key

    def query(self, *, drop: tuple[str, ...] = ()) -> dict[str, str]:
        q = dict(self.params)
        chosen = [s for s in self.select if s not in drop]
        if chosen:
            q["$select"] = ",".join(chosen)
        if self.top is not None:
            q["$top"] = str(self.top)
        return q


@dataclass(frozen=True)
class StreamFetch:
    spec: StreamSpec
    path: str
    filter_field: str  # the property a time window filters on
    select: tuple[str, ...] = ()
    top: int | None = None
    versioned: bool = False  # records change after creation: keep the newest version
    derived: bool = False  # not read from an API (computed from snapshots)

    @property
    def key(self) -> str:
        return self.spec.key


def _r(key: str, strategy: Strategy, path: str, select: str = "", **kw: object) -> ResourceFetch:
    return ResourceFetch(RESOURCES[key], strategy, path, tuple(select.split()), **kw)  # type: ignore[arg-type]


L, ONE, KIDS, CMD, GROUP = (
    Strategy.LIST,
    Strategy.SINGLETON,
    Strategy.CHILDREN,
    Strategy.CMDLET,
    Strategy.GROUPED,
)

# signInActivity needs Entra ID P1 and AuditLog.Read.All, and lowers the users page to 500.
SIGN_IN_ACTIVITY = "signInActivity"
USERS_TOP_WITH_ACTIVITY = 500
USERS_TOP = 999

FETCHES: dict[str, ResourceFetch] = {
    f.key: f
    for f in (
        _r(
            "organization",
            L,
            "organization",
            "id displayName verifiedDomains assignedPlans createdDateTime countryLetterCode "
            "onPremisesSyncEnabled technicalNotificationMails securityComplianceNotificationMails",
        ),
        _r(
            "domains",
            L,
            "domains",
            "id isVerified isDefault isInitial authenticationType supportedServices "
            "passwordValidityPeriodInDays",
        ),
        _r(
            "subscribedSkus",
            L,
            "subscribedSkus",
            "id skuId skuPartNumber capabilityStatus consumedUnits prepaidUnits servicePlans "
            "appliesTo",
        ),
        _r(
            "users",
            L,
            "users",
            "id displayName userPrincipalName mail accountEnabled userType department jobTitle "
            "createdDateTime assignedLicenses onPremisesSyncEnabled passwordPolicies "
            "lastPasswordChangeDateTime signInActivity",
            top=USERS_TOP_WITH_ACTIVITY,
        ),
        _r(
            "groups",
            L,
            "groups",
            "id displayName groupTypes securityEnabled mailEnabled isAssignableToRole "
            "membershipRule visibility createdDateTime",
            top=999,
        ),
        _r(
            "groupMembers",
            KIDS,
            "groups/{id}/transitiveMembers",
            "id displayName userPrincipalName",
            top=999,
        ),
        _r(
            "roleDefinitions",
            L,
            "roleManagement/directory/roleDefinitions",
            "id displayName description templateId isBuiltIn isEnabled",
        ),
        _r(
            "roleAssignments",
            L,
            "roleManagement/directory/roleAssignments",
            "id principalId roleDefinitionId directoryScopeId appScopeId",
        ),
        _r(
            "roleEligibilitySchedules",
            L,
            "roleManagement/directory/roleEligibilityScheduleInstances",
            "id principalId roleDefinitionId directoryScopeId appScopeId startDateTime "
            "endDateTime memberType roleEligibilityScheduleId",
        ),
        _r(
            "roleAssignmentSchedules",
            L,
            "roleManagement/directory/roleAssignmentScheduleInstances",
            "id principalId roleDefinitionId directoryScopeId appScopeId assignmentType "
            "memberType startDateTime endDateTime roleAssignmentOriginId",
        ),
        _r(
            "adminConsentRequestPolicy",
            ONE,
            "policies/adminConsentRequestPolicy",
            "id isEnabled notifyReviewers remindersEnabled requestDurationInDays reviewers",
        ),
        _r(
            "deviceRegistrationPolicy",
            ONE,
            "policies/deviceRegistrationPolicy",
            "id userDeviceQuota multiFactorAuthConfiguration azureADJoin azureADRegistration "
            "localAdminPassword",
        ),
        _r(
            "sharepointSettings",
            ONE,
            "admin/sharepoint/settings",
            "id sharingCapability sharingDomainRestrictionMode sharingAllowedDomainList "
            "sharingBlockedDomainList isResharingByExternalUsersEnabled "
            "isRequireAcceptingUserToMatchInvitedUserEnabled isUnmanagedSyncAppForTenantRestricted "
            "allowedDomainGuidsForSyncApp isLegacyAuthProtocolsEnabled",
        ),
        _r(
            "userRegistrationDetails",
            L,
            "reports/authenticationMethods/userRegistrationDetails",
            "id userPrincipalName userDisplayName userType isAdmin isMfaCapable isMfaRegistered "
            "isPasswordlessCapable isSsprRegistered methodsRegistered "
            "lastUpdatedDateTime",
        ),
        _r(
            "conditionalAccessPolicies",
            L,
            "identity/conditionalAccess/policies",
            "id displayName state conditions grantControls sessionControls createdDateTime "
            "modifiedDateTime",
        ),
        _r(
            "namedLocations",
            L,
            "identity/conditionalAccess/namedLocations",
            "id displayName createdDateTime modifiedDateTime ipRanges isTrusted "
            "countriesAndRegions includeUnknownCountriesAndRegions countryLookupMethod",
        ),
        _r(
            "authenticationMethodsPolicy",
            ONE,
            "policies/authenticationMethodsPolicy",
            "id displayName description policyVersion reconfirmationInDays "
            "registrationEnforcement "
            "authenticationMethodConfigurations",
        ),
        _r(
            "securityDefaults",
            ONE,
            "policies/identitySecurityDefaultsEnforcementPolicy",
            "id displayName description isEnabled",
        ),
        _r(
            "authorizationPolicy",
            ONE,
            "policies/authorizationPolicy",
            "id displayName allowInvitesFrom allowedToSignUpEmailBasedSubscriptions "
            "allowedToUseSSPR allowEmailVerifiedUsersToJoinOrganization blockMsolPowerShell "
            "defaultUserRolePermissions guestUserRoleId allowUserConsentForRiskyApps",
        ),
        _r(
            "riskyUsers",
            L,
            "identityProtection/riskyUsers",
            "id userPrincipalName userDisplayName riskLevel riskState riskDetail "
            "riskLastUpdatedDateTime isDeleted isProcessing",
        ),
        _r(
            "managedDevices",
            L,
            "deviceManagement/managedDevices",
            "id deviceName userId userPrincipalName operatingSystem osVersion complianceState "
            "isEncrypted lastSyncDateTime managedDeviceOwnerType azureADDeviceId jailBroken",
        ),
        _r(
            "deviceCompliancePolicies",
            L,
            "deviceManagement/deviceCompliancePolicies",
            "id displayName description createdDateTime lastModifiedDateTime version",
        ),
        _r(
            "secureScores",
            L,
            "security/secureScores",
            "id createdDateTime currentScore maxScore activeUserCount licensedUserCount "
            "enabledServices controlScores averageComparativeScores",
            top=90,
            max_pages=1,
        ),
        _r(
            "secureScoreControlProfiles",
            L,
            "security/secureScoreControlProfiles",
            "id title controlCategory actionType service maxScore rank tier userImpact "
            "implementationCost threats deprecated remediation controlStateUpdates",
        ),
        _r(
            "messageRules",
            KIDS,
            "users/{id}/mailFolders/inbox/messageRules",
            "id displayName sequence isEnabled hasError isReadOnly conditions actions exceptions",
        ),
        _r("antiPhishPolicies", CMD, "Get-AntiPhishPolicy"),
        _r("antiPhishRules", CMD, "Get-AntiPhishRule"),
        _r("mailboxes", CMD, "Get-Mailbox", params={"ResultSize": "Unlimited"}),
        _r("outboundSpamPolicies", CMD, "Get-HostedOutboundSpamFilterPolicy"),
        _r("safeLinksPolicies", CMD, "Get-SafeLinksPolicy"),
        _r("safeAttachmentPolicies", CMD, "Get-SafeAttachmentPolicy"),
        _r("dkimSigningConfigs", CMD, "Get-DkimSigningConfig"),
        _r("adminAuditLogConfig", CMD, "Get-AdminAuditLogConfig"),
        _r("organizationConfig", CMD, "Get-OrganizationConfig"),
        _r("remoteDomains", CMD, "Get-RemoteDomain"),
        _r("transportConfig", CMD, "Get-TransportConfig"),
        _r("externalInOutlook", CMD, "Get-ExternalInOutlook"),
        _r("sharingPolicies", CMD, "Get-SharingPolicy"),
        _r("malwareFilterPolicies", CMD, "Get-MalwareFilterPolicy"),
        _r("hostedContentFilterPolicies", CMD, "Get-HostedContentFilterPolicy"),
        _r("connectionFilterPolicies", CMD, "Get-HostedConnectionFilterPolicy"),
        _r("eopProtectionPolicyRules", CMD, "Get-EOPProtectionPolicyRule"),
        _r("atpProtectionPolicyRules", CMD, "Get-ATPProtectionPolicyRule"),
        _r("mdeMachines", L, "machines", top=10_000),
        # Defender's export of software vulnerabilities per device: one call per 200,000
        # rows (30/min) instead of one per machine, and it carries firstSeenTimestamp,
        # which remediation aging needs. $top would suppress @odata.nextLink: pageSize.
        _r(
            "mdeVulnerabilities",
            GROUP,
            "machines/SoftwareVulnerabilitiesByMachine",
            params={"pageSize": "200000"},
            group_by="deviceId",
        ),
    )
}

# Per-parent resources read the compliance policies' assignments too (as $expand would).
POLICY_ASSIGNMENTS = "deviceManagement/deviceCompliancePolicies/{id}/assignments"

ALERT_SELECT = (
    "id providerAlertId incidentId status severity classification determination "
    "serviceSource detectionSource detectorId title description category assignedTo "
    "createdDateTime lastUpdateDateTime firstActivityDateTime lastActivityDateTime "
    "resolvedDateTime alertWebUrl actorDisplayName threatDisplayName mitreTechniques "
    "recommendedActions evidence comments tenantId"
)


def _s(key: str, path: str, field: str, select: str = "", **kw: bool | int) -> StreamFetch:
    return StreamFetch(STREAMS[key], path, field, tuple(select.split()), **kw)  # type: ignore[arg-type]


STREAM_FETCHES: dict[str, StreamFetch] = {
    f.key: f
    for f in (
        _s(
            "signIns",
            "auditLogs/signIns",
            "createdDateTime",
            "id createdDateTime userId userPrincipalName userDisplayName appId appDisplayName "
            "ipAddress clientAppUsed isInteractive conditionalAccessStatus riskLevelDuringSignIn "
            "riskLevelAggregated riskState riskDetail status location deviceDetail "
            "appliedConditionalAccessPolicies correlationId",
            top=1000,
        ),
        _s(
            "directoryAudits",
            "auditLogs/directoryAudits",
            "activityDateTime",
            "id activityDateTime activityDisplayName category correlationId result resultReason "
            "loggedByService operationType initiatedBy targetResources additionalDetails",
        ),
        _s(
            "riskDetections",
            "identityProtection/riskDetections",
            "detectedDateTime",
            "id requestId correlationId riskEventType riskState riskLevel riskDetail source "
            "detectionTimingType activity ipAddress location activityDateTime detectedDateTime "
            "lastUpdatedDateTime userId userDisplayName userPrincipalName additionalInfo",
        ),
        _s("alerts", "security/alerts_v2", "lastUpdateDateTime", ALERT_SELECT, versioned=True),
        _s(
            "incidents",
            "security/incidents",
            "lastUpdateDateTime",
            "id displayName description severity status classification determination "
            "createdDateTime lastUpdateDateTime assignedTo incidentWebUrl redirectIncidentId "
            "customTags summary comments",
            versioned=True,
        ),
        _s(
            "attackSimulationResults",
            "security/attackSimulation/simulations",
            "launchDateTime",
            "id displayName status attackType attackTechnique launchDateTime completionDateTime "
            "createdDateTime lastModifiedDateTime",
            versioned=True,
        ),
        _s("messageRuleChanges", "", "observedDateTime", derived=True),
    )
}

SIMULATION_USERS = "security/attackSimulation/simulations/{id}/report/simulationUsers"


def check_complete() -> None:
    """Every vocabulary key has a fetch (run by the tests; a missing one is a bug here)."""
    missing = (set(RESOURCES) - set(FETCHES)) | (set(STREAMS) - set(STREAM_FETCHES))
    if missing:
        raise LookupError(f"no fetch defined for {sorted(missing)}")
