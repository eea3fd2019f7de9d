"""A small factory of raw tenant JSON (Microsoft's shapes) for control tests.

`secure_tenant()` is a well-run 6-user tenant on which every control passes; a test
breaks exactly one thing and asserts the exact (object, ok) evidence and status.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from cosec.config import Severity
from cosec.controls.context import AssessmentContext, IncidentFact
from cosec.model.governance import (
    AreaOwners,
    ControlArea,
    ExceptionGrant,
    GovernanceFacts,
    Owner,
    RestoreTest,
)
from cosec.model.resources import RESOURCES
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.model.view import GLOBAL_ADMIN

Json = dict[str, Any]
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DOMAIN = "contoso.example"
E5_PLANS = (
    "AAD_PREMIUM",
    "AAD_PREMIUM_P2",
    "INTUNE_A",
    "EXCHANGE_S_ENTERPRISE",
    "ATP_ENTERPRISE",
    "THREAT_INTELLIGENCE",
    "WINDEFATP",
)
E5_SKU = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
ADMIN_SKU = "078d2b04-f1bd-4111-bbd4-b4b1b354cef4"  # AAD_PREMIUM_P2 only


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class RawTenant:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now
        self.raw: dict[str, list[Json]] = {}
        self.children: dict[str, dict[str, list[Json]]] = {}
        self.outcomes: dict[str, ResourceOutcome] = {}

    # --- generic ----------------------------------------------------------------------
    def add(self, key: str, obj: Json) -> Json:
        self.raw.setdefault(key, []).append(obj)
        return obj

    def child(self, key: str, parent: str, obj: Json) -> Json:
        self.children.setdefault(key, {}).setdefault(parent, []).append(obj)
        return obj

    def one(self, key: str) -> Json:
        return self.raw[key][0]

    def find(self, key: str, **match: Any) -> Json:
        for obj in self.raw.get(key, []):
            if all(obj.get(k) == v for k, v in match.items()):
                return obj
        raise KeyError(f"no {key} with {match}")

    def unavailable(
        self, key: str, *, permission: str | None = None, licence: str | None = None
    ) -> None:
        reason = f"licence missing: {licence}" if licence else f"403: {permission} not granted"
        self.outcomes[key] = ResourceOutcome(
            key, Outcome.NOT_ASSESSED, reason, permission=permission, licence=licence
        )

    def snapshot(self) -> Snapshot:
        outcomes = {
            key: ResourceOutcome(key, Outcome.OK, item_count=len(self.raw.get(key, [])))
            for key in RESOURCES
        }
        outcomes.update(self.outcomes)
        return Snapshot(
            tenant="main",
            taken_at=self.now,
            outcomes=outcomes,
            raw=copy.deepcopy(self.raw),
            raw_per_parent=copy.deepcopy(self.children),
        )

    # --- directory --------------------------------------------------------------------
    def user(
        self,
        uid: str,
        *,
        department: str | None = None,
        enabled: bool = True,
        guest: bool = False,
        synced: bool = False,
        skus: tuple[str, ...] = (E5_SKU,),
        last_sign_in: datetime | None = None,
        methods: tuple[str, ...] = ("microsoftAuthenticatorPush",),
        sspr: bool = True,
    ) -> Json:
        upn = f"{uid}_gmail.com#EXT#@{DOMAIN}" if guest else f"{uid}@{DOMAIN}"
        seen = last_sign_in or self.now - timedelta(days=1)
        user = self.add(
            "users",
            {
                "id": uid,
                "userPrincipalName": upn,
                "displayName": uid.title(),
                "mail": f"{uid}@{DOMAIN}",
                "accountEnabled": enabled,
                "userType": "Guest" if guest else "Member",
                "department": department,
                "onPremisesSyncEnabled": True if synced else None,
                "assignedLicenses": [{"skuId": s, "disabledPlans": []} for s in skus],
                "createdDateTime": iso(self.now - timedelta(days=400)),
                "signInActivity": {"lastSignInDateTime": iso(seen)},
            },
        )
        self.add(
            "userRegistrationDetails",
            {
                "id": uid,
                "userPrincipalName": upn,
                "isMfaRegistered": bool(methods),
                "isMfaCapable": bool(methods),
                "isSsprRegistered": sspr,
                "methodsRegistered": list(methods),
                "userType": "guest" if guest else "member",
            },
        )
        if not guest and any(s == E5_SKU for s in skus):
            self.add(
                "mailboxes",
                {
                    "Identity": uid.title(),
                    "ExternalDirectoryObjectId": uid,
                    "UserPrincipalName": upn,
                    "ForwardingSmtpAddress": None,
                    "ForwardingAddress": None,
                    "AuditEnabled": True,
                    "RecipientTypeDetails": "UserMailbox",
                },
            )
            self.children.setdefault("messageRules", {}).setdefault(uid, [])
        return user

    def group(self, gid: str, members: list[str], name: str | None = None) -> Json:
        self.add("groups", {"id": gid, "displayName": name or gid, "securityEnabled": True})
        for m in members:
            kind = "group" if m.startswith("grp-") else "user"
            self.child("groupMembers", gid, {"@odata.type": f"#microsoft.graph.{kind}", "id": m})
        self.children.setdefault("groupMembers", {}).setdefault(gid, [])
        return self.raw["groups"][-1]

    def role(self, principal: str, template: str = GLOBAL_ADMIN, *, eligible: bool = False) -> Json:
        key = "roleEligibilitySchedules" if eligible else "roleAssignments"
        n = len(self.raw.get(key, []))
        return self.add(
            key,
            {
                "id": f"{key}-{n}",
                "principalId": principal,
                "roleDefinitionId": template,
                "directoryScopeId": "/",
            },
        )

    def ca(self, pid: str, **changes: Any) -> Json:
        policy: Json = {
            "id": pid,
            "displayName": pid,
            "state": "enabled",
            "conditions": {
                "users": {
                    "includeUsers": ["All"],
                    "excludeUsers": [],
                    "includeGroups": [],
                    "excludeGroups": ["grp-breakglass"],
                    "includeRoles": [],
                    "excludeRoles": [],
                },
                "applications": {"includeApplications": ["All"], "excludeApplications": []},
                "clientAppTypes": ["all"],
                "signInRiskLevels": [],
                "userRiskLevels": [],
            },
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        }
        for path, value in changes.items():
            target = policy
            *parents, last = path.split("__")
            for p in parents:
                target = target[p]
            target[last] = value
        return self.add("conditionalAccessPolicies", policy)


def secure_tenant(now: datetime = NOW) -> RawTenant:
    """Six users (two break-glass, two admins, CEO, finance clerk), everything configured."""
    t = RawTenant(now)
    t.add(
        "subscribedSkus",
        {
            "skuId": E5_SKU,
            "skuPartNumber": "SPE_E5",
            "capabilityStatus": "Enabled",
            "consumedUnits": 4,
            "prepaidUnits": {"enabled": 10},
            "servicePlans": [
                {"servicePlanName": p, "provisioningStatus": "Success"} for p in E5_PLANS
            ],
        },
    )
    t.add(
        "subscribedSkus",
        {
            "skuId": ADMIN_SKU,
            "skuPartNumber": "AAD_PREMIUM_P2",
            "capabilityStatus": "Enabled",
            "servicePlans": [{"servicePlanName": "AAD_PREMIUM_P2"}],
        },
    )
    t.add(
        "domains",
        {
            "id": DOMAIN,
            "isVerified": True,
            "authenticationType": "Managed",
            "passwordValidityPeriodInDays": 2147483647,
        },
    )
    fido = ("fido2SecurityKey", "microsoftAuthenticatorPush")
    for bg in ("bg1", "bg2"):
        t.user(bg, skus=(), methods=("fido2SecurityKey",), last_sign_in=now - timedelta(days=20))
    for admin in ("admin1", "admin2"):
        t.user(admin, skus=(ADMIN_SKU,), methods=fido, department="IT")
    t.user("ceo", department="Executive", methods=fido)
    t.user("clerk", department="Finance", methods=fido)
    t.group("grp-breakglass", ["bg1", "bg2"], name="Break glass")
    t.group("grp-staff", ["ceo", "clerk", "grp-admins"], name="Staff")
    t.group("grp-admins", ["admin1", "admin2"], name="Admins")
    for principal in ("bg1", "bg2"):
        t.role(principal)  # break-glass: permanent Global Administrator by design
    for admin in ("admin1", "admin2"):
        t.role(admin, eligible=True)
        t.role(admin)  # currently activated through PIM
    t.ca("mfa-all")
    t.ca(
        "block-legacy",
        conditions__clientAppTypes=["exchangeActiveSync", "other"],
        grantControls={"operator": "OR", "builtInControls": ["block"]},
    )
    t.ca(
        "admins-phishing-resistant",
        conditions__users={
            "includeUsers": [],
            "excludeUsers": [],
            "includeGroups": [],
            "excludeGroups": ["grp-breakglass"],
            "includeRoles": [GLOBAL_ADMIN],
            "excludeRoles": [],
        },
        grantControls={
            "operator": "OR",
            "builtInControls": [],
            "authenticationStrength": {
                "id": "00000000-0000-0000-0000-000000000004",
                "displayName": "Phishing-resistant MFA",
            },
        },
    )
    t.ca("sign-in-risk", conditions__signInRiskLevels=["high", "medium"])
    t.ca(
        "user-risk",
        conditions__userRiskLevels=["high"],
        grantControls={"operator": "AND", "builtInControls": ["mfa", "passwordChange"]},
    )
    t.add(
        "authenticationMethodsPolicy",
        {
            "id": "authenticationMethodsPolicy",
            "authenticationMethodConfigurations": [
                {"id": "Fido2", "state": "enabled"},
                {
                    "id": "MicrosoftAuthenticator",
                    "state": "enabled",
                    "featureSettings": {"numberMatchingRequiredState": {"state": "enabled"}},
                },
                {"id": "Sms", "state": "disabled"},
                {"id": "Voice", "state": "disabled"},
                {"id": "Email", "state": "disabled"},
            ],
        },
    )
    t.add("securityDefaults", {"id": "00000000-0000-0000-0000-000000000005", "isEnabled": False})
    t.add(
        "authorizationPolicy",
        {
            "id": "authorizationPolicy",
            "allowInvitesFrom": "adminsAndGuestInviters",
            "allowedToUseSSPR": True,
            "allowEmailVerifiedUsersToJoinOrganization": False,
            "guestUserRoleId": "2af84b1e-32c8-42b7-82bc-daa82404023b",
            "allowUserConsentForRiskyApps": False,
            "defaultUserRolePermissions": {
                "allowedToCreateApps": False,
                "allowedToCreateTenants": False,
                "permissionGrantPoliciesAssigned": [],
            },
        },
    )
    identity_settings(t)
    t.add(
        "antiPhishPolicies",
        {
            "Identity": "Office365 AntiPhish Default",
            "IsDefault": True,
            "Enabled": True,
            "EnableTargetedUserProtection": True,
            "TargetedUsersToProtect": [f"Ceo;ceo@{DOMAIN}", f"Clerk;clerk@{DOMAIN}"],
            "EnableOrganizationDomainsProtection": True,
            "EnableTargetedDomainsProtection": False,
            "EnableMailboxIntelligence": True,
            "EnableMailboxIntelligenceProtection": True,
            "EnableSpoofIntelligence": True,
        },
    )
    t.add(
        "outboundSpamPolicies",
        {"Identity": "Default", "IsDefault": True, "AutoForwardingMode": "Off"},
    )
    t.add(
        "safeLinksPolicies",
        {
            "Identity": "Built-in protection",
            "EnableSafeLinksForEmail": True,
            "EnableSafeLinksForTeams": True,
            "EnableSafeLinksForOffice": True,
            "TrackClicks": True,
            "AllowClickThrough": False,
        },
    )
    t.add(
        "safeAttachmentPolicies",
        {"Identity": "Built-in protection", "Enable": True, "Action": "Block"},
    )
    t.add("dkimSigningConfigs", {"Domain": DOMAIN, "Enabled": True})
    t.add(
        "adminAuditLogConfig",
        {"Identity": "Admin Audit Log Settings", "UnifiedAuditLogIngestionEnabled": True},
    )
    t.add(
        "organizationConfig",
        {
            "Identity": "contoso",
            "AuditDisabled": False,
            "OAuth2ClientProfileEnabled": True,
            "MailTipsAllTipsEnabled": True,
            "MailTipsExternalRecipientsTipsEnabled": True,
            "MailTipsGroupMetricsEnabled": True,
        },
    )
    exchange_settings(t)
    for n, (os_name, version) in enumerate(
        [("Windows", "10.0.26100.2033"), ("macOS", "15.1"), ("iOS", "18.1"), ("Android", "14")]
    ):
        owner = ("ceo", "clerk", "admin1", "admin2")[n]
        t.add(
            "managedDevices",
            {
                "id": f"dev{n}",
                "deviceName": f"{os_name}-{n}",
                "userId": owner,
                "operatingSystem": os_name,
                "osVersion": version,
                "complianceState": "compliant",
                "isEncrypted": True,
                "lastSyncDateTime": iso(now - timedelta(days=1)),
                "azureADDeviceId": f"aad-dev{n}",
            },
        )
    for platform in ["windows10", "macOS", "ios", "androidWorkProfile"]:
        t.add(
            "deviceCompliancePolicies",
            {
                "@odata.type": f"#microsoft.graph.{platform}CompliancePolicy",
                "id": f"pol-{platform}",
                "displayName": f"{platform} baseline",
                "assignments": [
                    {"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}
                ],
            },
        )
    for n, platform in enumerate(["Windows11", "macOS"]):
        t.add(
            "mdeMachines",
            {
                "id": f"mde{n}",
                "computerDnsName": f"{platform.lower()}-{n}",
                "osPlatform": platform,
                "healthStatus": "Active",
                "onboardingStatus": "Onboarded",
                "lastSeen": iso(now - timedelta(hours=3)),
                "aadDeviceId": f"aad-dev{n}",
            },
        )
        t.child(
            "mdeVulnerabilities",
            f"mde{n}",
            {
                "id": "CVE-2026-0001",
                "name": "CVE-2026-0001",
                "severity": "Critical",
                "cvssV3": 9.8,
                "publishedOn": iso(now - timedelta(days=5)),
                "publicExploit": True,
            },
        )
    t.add(
        "riskyUsers",
        {
            "id": "clerk",
            "userPrincipalName": f"clerk@{DOMAIN}",
            "riskLevel": "low",
            "riskState": "atRisk",
            "riskLastUpdatedDateTime": iso(now - timedelta(days=2)),
        },
    )
    t.add(
        "secureScores",
        {"id": "s1", "createdDateTime": iso(now), "currentScore": 60.0, "maxScore": 100.0},
    )
    return t


def identity_settings(t: RawTenant) -> None:
    """Tenant-wide identity and SharePoint settings of a well-run tenant (Graph shapes)."""
    t.add(
        "adminConsentRequestPolicy",
        {
            "id": "policy",
            "isEnabled": True,
            "notifyReviewers": True,
            "reviewers": [{"query": "/users/admin1", "queryType": "MicrosoftGraph"}],
        },
    )
    t.add(
        "deviceRegistrationPolicy",
        {
            "id": "deviceRegistrationPolicy",
            "multiFactorAuthConfiguration": "required",
            "azureADJoin": {
                "localAdmins": {
                    "enableGlobalAdmins": True,
                    "registeringUsers": {
                        "@odata.type": "#microsoft.graph.noDeviceRegistrationMembership"
                    },
                }
            },
            "localAdminPassword": {"isEnabled": True},
        },
    )
    t.add(
        "sharepointSettings",
        {
            "id": "sharepointSettings",
            "sharingCapability": "existingExternalUserSharingOnly",
            "isResharingByExternalUsersEnabled": False,
            "isUnmanagedSyncAppForTenantRestricted": True,
            "isLegacyAuthProtocolsEnabled": False,
        },
    )
    for n, admin in enumerate(("admin1", "admin2")):
        t.add(
            "roleAssignmentSchedules",
            {
                "id": f"sched-{n}",
                "principalId": admin,
                "roleDefinitionId": GLOBAL_ADMIN,
                "assignmentType": "Activated",
                "endDateTime": iso(t.now + timedelta(hours=4)),
            },
        )


def exchange_settings(t: RawTenant) -> None:
    """The Exchange settings of a well-run tenant (cmdlet output shapes)."""
    t.add(
        "remoteDomains",
        {"Identity": "Default", "DomainName": "*", "AutoForwardEnabled": False},
    )
    t.add(
        "transportConfig",
        {"Identity": "contoso", "SmtpClientAuthenticationDisabled": True},
    )
    t.add("externalInOutlook", {"Identity": "ExternalInOutlook", "Enabled": True})
    t.add(
        "sharingPolicies",
        {
            "Identity": "Default Sharing Policy",
            "Default": True,
            "Enabled": False,
            "Domains": ["*:CalendarSharingFreeBusySimple"],
        },
    )
    t.add(
        "malwareFilterPolicies",
        {
            "Identity": "Default",
            "IsDefault": True,
            "EnableFileFilter": True,
            "FileTypes": ["exe", "js", "iso"],
            "ZapEnabled": True,
            "EnableInternalSenderAdminNotifications": True,
        },
    )
    t.add(
        "hostedContentFilterPolicies",
        {
            "Identity": "Default",
            "IsDefault": True,
            "SpamZapEnabled": True,
            "PhishZapEnabled": True,
            "AllowedSenderDomains": [],
        },
    )
    t.add(
        "connectionFilterPolicies",
        {"Identity": "Default", "IsDefault": True, "IPAllowList": [], "EnableSafeList": False},
    )
    for key, extra in (
        ("eopProtectionPolicyRules", {"AntiPhishPolicy": "Standard Preset Security Policy5"}),
        ("atpProtectionPolicyRules", {"AntiPhishPolicy": "Standard Preset Security Policy3"}),
    ):
        t.add(
            key,
            {
                "Identity": "Standard Preset Security Policy",
                "State": "Enabled",
                "RecipientDomainIs": [DOMAIN],
                **extra,
            },
        )


def owners() -> dict[ControlArea, AreaOwners]:
    partner = Owner("partner", "engineer", "jordan")
    internal = Owner("internal", "it_lead", "alex")
    return {a: AreaOwners(a, partner, partner, partner, internal) for a in ControlArea}


class Tier:
    def __init__(
        self,
        *,
        privileged_roles: bool = False,
        groups: tuple[str, ...] = (),
        departments: tuple[str, ...] = (),
        users: tuple[str, ...] = (),
    ) -> None:
        self.privileged_roles = privileged_roles
        self.groups = groups
        self.departments = departments
        self.users = users


def context(now: datetime = NOW, **changes: Any) -> AssessmentContext:
    """The context of a well-run tenant: every governance fact in order."""
    base: dict[str, Any] = {
        "now": now,
        "tenant": "main",
        "owners": owners(),
        "risk_tiers": {
            "admins": Tier(privileged_roles=True),
            "executives": Tier(departments=("Executive",)),
            "finance": Tier(departments=("Finance",)),
        },
        "break_glass_accounts": (f"bg1@{DOMAIN}", f"bg2@{DOMAIN}"),
        "critical_datasets": ("finance-share",),
        "patch_baseline": {
            "Windows": "10.0.26100",
            "macOS": "15.0",
            "iOS": "18.0",
            "Android": "14",
        },
        "vulnerability_sla": {
            Severity.CRITICAL: timedelta(days=14),
            Severity.HIGH: timedelta(days=30),
            Severity.MEDIUM: timedelta(days=90),
            Severity.LOW: timedelta(days=180),
        },
        "restore_tests": (
            RestoreTest(
                tenant="main",
                dataset="finance-share",
                tested_at=now - timedelta(days=10),
                succeeded=True,
                time_to_restore=timedelta(hours=2),
                target=timedelta(hours=4),
                recorded_by="alex",
            ),
        ),
        "governance": GovernanceFacts(
            unowned_cells=(),
            expired_exceptions_relied_on=(),
            reviews_held={
                "monthly_operational": now - timedelta(days=12),
                "quarterly_executive": now - timedelta(days=40),
            },
            on_call_defined=True,
            authority_matrix_defined=True,
        ),
        "incidents": (
            IncidentFact("INC-1", "Phish", Severity.HIGH, now - timedelta(days=3), None),
        ),
        "attestations": {"IDN-010v1": now - timedelta(days=20)},
    }
    base.update(changes)
    return AssessmentContext(**base)


def grant(control_id: str, *scope: str, expires: datetime | None = None) -> ExceptionGrant:
    return ExceptionGrant(
        id=f"EXC-{control_id}",
        control_id=control_id,
        tenant="main",
        scope=frozenset(scope),
        expires_at=expires or NOW + timedelta(days=30),
        risk_owner="alex",
    )


def run(control_module: Any, tenant: RawTenant, ctx: AssessmentContext | None = None) -> Any:
    """Evaluate one control module's CONTROL; returns the Finding."""
    from cosec.controls.engine import evaluate
    from cosec.model.view import TenantView

    return evaluate(control_module.CONTROL, TenantView(tenant.snapshot()), ctx or context())


def pairs(finding: Any) -> set[tuple[str, bool]]:
    """The exact (object id, ok) evidence of a finding."""
    return {(o.object.id, o.ok) for o in finding.evidence}
