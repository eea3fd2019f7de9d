"""The vocabulary of what cosec reads: resource keys, their permissions and licences.

A *resource* is one kind of configuration state read per snapshot; a *stream* is one
kind of event collected incrementally. The collector's registry (cosec.collect) maps each
key to an endpoint and a fetch strategy; controls name the keys they require, and the
permissions and licences they need follow from here. The simulator does not import this
module: it imitates Microsoft, whose documentation these values come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Service(StrEnum):
    GRAPH = "graph"
    EXCHANGE = "exchange"  # Exchange Online admin API (InvokeCommand)
    DEFENDER = "defender"  # Defender for Endpoint API


class Licence(StrEnum):
    """Features whose data exists only with a licence (derived from subscribedSkus)."""

    ENTRA_P1 = "Microsoft Entra ID P1"
    ENTRA_P2 = "Microsoft Entra ID P2"
    INTUNE = "Microsoft Intune"
    DEFENDER_O365 = "Microsoft Defender for Office 365"
    DEFENDER_ENDPOINT = "Microsoft Defender for Endpoint"
    EXCHANGE = "Exchange Online"


@dataclass(frozen=True)
class ResourceSpec:
    key: str
    service: Service
    description: str
    permission: str
    licence: Licence | None = None
    per: str | None = None  # read once per parent object of this resource key


R = ResourceSpec
S = Service
L = Licence

RESOURCES: dict[str, ResourceSpec] = {
    r.key: r
    for r in (
        R("organization", S.GRAPH, "Tenant organisation", "Organization.Read.All"),
        R("domains", S.GRAPH, "Verified domains", "Domain.Read.All"),
        R(
            "subscribedSkus",
            S.GRAPH,
            "Licences bought and their service plans",
            "Organization.Read.All",
        ),
        R(
            "users",
            S.GRAPH,
            "Users with licences, department and sign-in activity",
            "User.Read.All",
        ),
        R("groups", S.GRAPH, "Groups", "GroupMember.Read.All"),
        R(
            "groupMembers",
            S.GRAPH,
            "Transitive members of each group",
            "GroupMember.Read.All",
            per="groups",
        ),
        R(
            "roleDefinitions",
            S.GRAPH,
            "Directory role definitions",
            "RoleManagement.Read.Directory",
        ),
        R(
            "roleAssignments",
            S.GRAPH,
            "Active directory role assignments",
            "RoleManagement.Read.Directory",
        ),
        R(
            "roleEligibilitySchedules",
            S.GRAPH,
            "PIM eligible role assignments",
            "RoleManagement.Read.Directory",
            L.ENTRA_P2,
        ),
        R(
            "roleAssignmentSchedules",
            S.GRAPH,
            "PIM schedule instances of active role assignments (permanent or time-bound)",
            "RoleManagement.Read.Directory",
            L.ENTRA_P2,
        ),
        R(
            "adminConsentRequestPolicy",
            S.GRAPH,
            "Admin consent request (workflow) policy",
            "Policy.Read.All",
        ),
        R(
            "deviceRegistrationPolicy",
            S.GRAPH,
            "Device registration and join policy",
            "Policy.Read.DeviceConfiguration",
        ),
        R(
            "sharepointSettings",
            S.GRAPH,
            "SharePoint and OneDrive tenant settings (sharing, sync)",
            "SharePointTenantSettings.Read.All",
        ),
        R(
            "userRegistrationDetails",
            S.GRAPH,
            "MFA registration per user",
            "AuditLog.Read.All",
            L.ENTRA_P1,
        ),
        R(
            "conditionalAccessPolicies",
            S.GRAPH,
            "Conditional Access policies",
            "Policy.Read.All",
            L.ENTRA_P1,
        ),
        R("namedLocations", S.GRAPH, "Named locations", "Policy.Read.All", L.ENTRA_P1),
        R(
            "authenticationMethodsPolicy",
            S.GRAPH,
            "Authentication methods policy",
            "Policy.Read.All",
        ),
        R("securityDefaults", S.GRAPH, "Security defaults enforcement policy", "Policy.Read.All"),
        R(
            "authorizationPolicy",
            S.GRAPH,
            "Authorization policy (consent, guests)",
            "Policy.Read.All",
        ),
        R(
            "riskyUsers",
            S.GRAPH,
            "Users flagged by Identity Protection",
            "IdentityRiskyUser.Read.All",
            L.ENTRA_P2,
        ),
        R(
            "managedDevices",
            S.GRAPH,
            "Intune managed devices",
            "DeviceManagementManagedDevices.Read.All",
            L.INTUNE,
        ),
        R(
            "deviceCompliancePolicies",
            S.GRAPH,
            "Intune compliance policies and assignments",
            "DeviceManagementConfiguration.Read.All",
            L.INTUNE,
        ),
        R("secureScores", S.GRAPH, "Secure Score history", "SecurityEvents.Read.All"),
        R(
            "secureScoreControlProfiles",
            S.GRAPH,
            "Secure Score control profiles",
            "SecurityEvents.Read.All",
        ),
        R(
            "messageRules",
            S.GRAPH,
            "Inbox rules of each mailbox",
            "MailboxSettings.Read",
            L.EXCHANGE,
            per="users",
        ),
        R(
            "antiPhishPolicies",
            S.EXCHANGE,
            "Get-AntiPhishPolicy",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R("antiPhishRules", S.EXCHANGE, "Get-AntiPhishRule", "Exchange.ManageAsApp", L.EXCHANGE),
        R(
            "mailboxes",
            S.EXCHANGE,
            "Get-Mailbox (forwarding, auditing)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "outboundSpamPolicies",
            S.EXCHANGE,
            "Get-HostedOutboundSpamFilterPolicy",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "safeLinksPolicies",
            S.EXCHANGE,
            "Get-SafeLinksPolicy",
            "Exchange.ManageAsApp",
            L.DEFENDER_O365,
        ),
        R(
            "safeAttachmentPolicies",
            S.EXCHANGE,
            "Get-SafeAttachmentPolicy",
            "Exchange.ManageAsApp",
            L.DEFENDER_O365,
        ),
        R(
            "dkimSigningConfigs",
            S.EXCHANGE,
            "Get-DkimSigningConfig",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "adminAuditLogConfig",
            S.EXCHANGE,
            "Get-AdminAuditLogConfig (unified audit log)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "organizationConfig",
            S.EXCHANGE,
            "Get-OrganizationConfig (mailbox auditing)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "remoteDomains",
            S.EXCHANGE,
            "Get-RemoteDomain (automatic forwarding per remote domain)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "transportConfig",
            S.EXCHANGE,
            "Get-TransportConfig (SMTP AUTH)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "externalInOutlook",
            S.EXCHANGE,
            "Get-ExternalInOutlook (external sender tag)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "sharingPolicies",
            S.EXCHANGE,
            "Get-SharingPolicy (calendar and contact sharing)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "malwareFilterPolicies",
            S.EXCHANGE,
            "Get-MalwareFilterPolicy",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "hostedContentFilterPolicies",
            S.EXCHANGE,
            "Get-HostedContentFilterPolicy (inbound anti-spam)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "connectionFilterPolicies",
            S.EXCHANGE,
            "Get-HostedConnectionFilterPolicy",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "eopProtectionPolicyRules",
            S.EXCHANGE,
            "Get-EOPProtectionPolicyRule (preset security policies, EOP part)",
            "Exchange.ManageAsApp",
            L.EXCHANGE,
        ),
        R(
            "atpProtectionPolicyRules",
            S.EXCHANGE,
            "Get-ATPProtectionPolicyRule (preset security policies, Defender part)",
            "Exchange.ManageAsApp",
            L.DEFENDER_O365,
        ),
        R(
            "mdeMachines",
            S.DEFENDER,
            "Defender for Endpoint machines",
            "Machine.Read.All",
            L.DEFENDER_ENDPOINT,
        ),
        R(
            "mdeVulnerabilities",
            S.DEFENDER,
            "Vulnerabilities per machine",
            "Vulnerability.Read.All",
            L.DEFENDER_ENDPOINT,
            per="mdeMachines",
        ),
    )
}


@dataclass(frozen=True)
class StreamSpec:
    key: str
    service: Service
    description: str
    permission: str
    time_field: str
    licence: Licence | None = None


T = StreamSpec

STREAMS: dict[str, StreamSpec] = {
    s.key: s
    for s in (
        T(
            "signIns",
            S.GRAPH,
            "Interactive sign-ins",
            "AuditLog.Read.All",
            "createdDateTime",
            L.ENTRA_P1,
        ),
        T(
            "directoryAudits",
            S.GRAPH,
            "Directory audit log",
            "AuditLog.Read.All",
            "activityDateTime",
        ),
        T(
            "riskDetections",
            S.GRAPH,
            "Identity Protection risk detections",
            "IdentityRiskEvent.Read.All",
            "detectedDateTime",
            L.ENTRA_P2,
        ),
        T(
            "alerts",
            S.GRAPH,
            "Defender XDR alerts (alerts_v2)",
            "SecurityAlert.Read.All",
            "lastUpdateDateTime",
        ),
        T(
            "incidents",
            S.GRAPH,
            "Defender XDR incidents",
            "SecurityIncident.Read.All",
            "lastUpdateDateTime",
        ),
        T(
            "attackSimulationResults",
            S.GRAPH,
            "Attack simulation users per simulation",
            "AttackSimulation.Read.All",
            "simulationEventsContent",
            L.DEFENDER_O365,
        ),
        T(
            "messageRuleChanges",
            S.GRAPH,
            "Inbox rules added or removed between snapshots",
            "MailboxSettings.Read",
            "observedDateTime",
            L.EXCHANGE,
        ),
    )
}


def required_permissions(keys: set[str]) -> set[str]:
    return {RESOURCES[k].permission if k in RESOURCES else STREAMS[k].permission for k in keys}
