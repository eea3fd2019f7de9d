"""Tenant-wide identity policies: Conditional Access, named locations, authentication
methods, security defaults and the authorization policy."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from cosec.simulator.catalog import LOCATIONS, ROLES
from cosec.simulator.history import Json
from cosec.simulator.seeding import guid, iso

# Display names the scenarios and the change API refer to.
MFA_ALL = "Require MFA for all users"
MFA_ADMINS = "Require MFA for administrators"
BLOCK_LEGACY = "Block legacy authentication"
COMPLIANT_DEVICE = "Require compliant device"
SIGNIN_RISK = "Sign-in risk: require MFA"
USER_RISK = "User risk: require password change"


@dataclass(frozen=True)
class PolicyInputs:
    break_glass: list[str]
    exclusion_group: str
    all_staff_group: str
    intune: bool
    p2: bool


def _policy(
    r: random.Random,
    name: str,
    created: datetime,
    state: str,
    users: Json,
    grant: list[str],
    *,
    client_apps: list[str] | None = None,
    platforms: Json | None = None,
    sign_in_risk: list[str] | None = None,
    user_risk: list[str] | None = None,
    operator: str = "OR",
) -> Json:
    return {
        "id": guid(r),
        "displayName": name,
        "createdDateTime": iso(created),
        "modifiedDateTime": iso(created),
        "state": state,
        "conditions": {
            "users": {
                "includeUsers": [],
                "excludeUsers": [],
                "includeGroups": [],
                "excludeGroups": [],
                "includeRoles": [],
                "excludeRoles": [],
                **users,
            },
            "applications": {
                "includeApplications": ["All"],
                "excludeApplications": [],
                "includeUserActions": [],
            },
            "clientAppTypes": client_apps or ["all"],
            "platforms": platforms,
            "locations": None,
            "signInRiskLevels": sign_in_risk or [],
            "userRiskLevels": user_risk or [],
        },
        "grantControls": {
            "operator": operator,
            "builtInControls": grant,
            "customAuthenticationFactors": [],
            "termsOfUse": [],
        },
        "sessionControls": None,
    }


def conditional_access(r: random.Random, inputs: PolicyInputs, created: datetime) -> list[Json]:
    bg = inputs.break_glass
    policies = [
        _policy(
            r,
            MFA_ALL,
            created,
            "enabled",
            {
                "includeUsers": ["All"],
                "excludeUsers": list(bg),
                "excludeGroups": [inputs.exclusion_group],
            },
            ["mfa"],
        ),
        _policy(
            r,
            MFA_ADMINS,
            created,
            "enabled",
            {
                "includeRoles": [tpl for tpl, _d, privileged in ROLES.values() if privileged],
                "excludeUsers": list(bg),
            },
            ["mfa"],
        ),
    ]
    legacy = r.random()
    if legacy < 0.85:
        state = "enabled" if legacy < 0.6 else "enabledForReportingButNotEnforced"
        policies.append(
            _policy(
                r,
                BLOCK_LEGACY,
                created,
                state,
                {"includeUsers": ["All"], "excludeUsers": list(bg)},
                ["block"],
                client_apps=["exchangeActiveSync", "other"],
            )
        )
    if inputs.intune:
        state = "enabledForReportingButNotEnforced" if r.random() < 0.5 else "enabled"
        policies.append(
            _policy(
                r,
                COMPLIANT_DEVICE,
                created,
                state,
                {
                    "includeGroups": [inputs.all_staff_group],
                    "excludeUsers": list(bg),
                    "excludeGroups": [inputs.exclusion_group],
                },
                ["compliantDevice"],
                platforms={"includePlatforms": ["windows", "macOS"], "excludePlatforms": []},
            )
        )
    if inputs.p2:
        policies.append(
            _policy(
                r,
                SIGNIN_RISK,
                created,
                "enabled",
                {"includeUsers": ["All"], "excludeUsers": list(bg)},
                ["mfa"],
                sign_in_risk=["high", "medium"],
            )
        )
        policies.append(
            _policy(
                r,
                USER_RISK,
                created,
                "enabled",
                {"includeUsers": ["All"], "excludeUsers": list(bg)},
                ["mfa", "passwordChange"],
                user_risk=["high"],
                operator="AND",
            )
        )
    return policies


def named_locations(r: random.Random, created: datetime) -> list[Json]:
    home = LOCATIONS[0][3]
    return [
        {
            "@odata.type": "#microsoft.graph.ipNamedLocation",
            "id": guid(r),
            "displayName": "Head office",
            "createdDateTime": iso(created),
            "modifiedDateTime": iso(created),
            "isTrusted": True,
            "ipRanges": [
                {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": f"{home}.0.0/16"}
            ],
        },
        {
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            "id": guid(r),
            "displayName": "Operating countries",
            "createdDateTime": iso(created),
            "modifiedDateTime": iso(created),
            "countriesAndRegions": sorted({loc[0] for loc in LOCATIONS}),
            "includeUnknownCountriesAndRegions": False,
            "countryLookupMethod": "clientIpAddress",
        },
    ]


def _odata(type_name: str) -> str:
    return f"#microsoft.graph.{type_name}"


def _target(extra: Json | None = None) -> list[Json]:
    return [
        {"targetType": "group", "id": "all_users", "isRegistrationRequired": False, **(extra or {})}
    ]


def authentication_methods_policy(r: random.Random, modified: datetime) -> Json:
    sms = "enabled" if r.random() < 0.6 else "disabled"
    location_context = "enabled" if r.random() < 0.8 else "default"
    return {
        "id": "authenticationMethodsPolicy",
        "displayName": "Authentication Methods Policy",
        "description": "The tenant-wide policy that controls which authentication methods "
        "are allowed in the tenant.",
        "lastModifiedDateTime": iso(modified),
        "policyVersion": "1.5",
        "policyMigrationState": "migrationComplete",
        "registrationEnforcement": {
            "authenticationMethodsRegistrationCampaign": {
                "snoozeDurationInDays": 1,
                "state": "default",
                "excludeTargets": [],
                "includeTargets": [
                    {
                        "id": "all_users",
                        "targetType": "group",
                        "targetedAuthenticationMethod": "microsoftAuthenticator",
                    }
                ],
            }
        },
        "authenticationMethodConfigurations": [
            {
                "@odata.type": _odata("microsoftAuthenticatorAuthenticationMethodConfiguration"),
                "id": "MicrosoftAuthenticator",
                "state": "enabled",
                "isSoftwareOathEnabled": True,
                "featureSettings": {
                    "displayAppInformationRequiredState": {
                        "state": "enabled",
                        "includeTarget": {"targetType": "group", "id": "all_users"},
                        "excludeTarget": {
                            "targetType": "group",
                            "id": "00000000-0000-0000-0000-000000000000",
                        },
                    },
                    "displayLocationInformationRequiredState": {
                        "state": location_context,
                        "includeTarget": {"targetType": "group", "id": "all_users"},
                        "excludeTarget": {
                            "targetType": "group",
                            "id": "00000000-0000-0000-0000-000000000000",
                        },
                    },
                },
                "includeTargets": _target({"authenticationMode": "any"}),
                "excludeTargets": [],
            },
            {
                "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
                "id": "Fido2",
                "state": "enabled",
                "isSelfServiceRegistrationAllowed": True,
                "isAttestationEnforced": True,
                "keyRestrictions": {"isEnforced": False, "enforcementType": "block", "aaGuids": []},
                "includeTargets": _target(),
                "excludeTargets": [],
            },
            {
                "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
                "id": "Sms",
                "state": sms,
                "includeTargets": _target({"isUsableForSignIn": False}),
                "excludeTargets": [],
            },
            {
                "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration",
                "id": "Voice",
                "state": "enabled" if r.random() < 0.3 else "disabled",
                "isOfficePhoneAllowed": False,
                "includeTargets": _target(),
                "excludeTargets": [],
            },
            {
                "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
                "id": "Email",
                "state": "enabled" if r.random() < 0.4 else "disabled",
                "allowExternalIdToUseEmailOtp": "default",
                "includeTargets": [],
                "excludeTargets": [],
            },
            {
                "@odata.type": _odata("temporaryAccessPassAuthenticationMethodConfiguration"),
                "id": "TemporaryAccessPass",
                "state": "enabled",
                "defaultLifetimeInMinutes": 60,
                "defaultLength": 8,
                "minimumLifetimeInMinutes": 60,
                "maximumLifetimeInMinutes": 480,
                "isUsableOnce": True,
                "includeTargets": _target(),
                "excludeTargets": [],
            },
        ],
    }


def security_defaults(enabled: bool) -> Json:
    return {
        "id": "00000000-0000-0000-0000-000000000005",
        "displayName": "Security Defaults",
        "description": "Security defaults is a set of basic identity security mechanisms "
        "recommended by Microsoft.",
        "isEnabled": enabled,
    }


def authorization_policy(r: random.Random) -> Json:
    consent = r.choice(
        (
            ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
            ["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
            [],
        )
    )
    return {
        "id": "authorizationPolicy",
        "displayName": "Authorization Policy",
        "description": "Used to manage authorization related settings across the company.",
        "allowInvitesFrom": r.choice(("everyone", "adminsAndGuestInviters")),
        "allowedToSignUpEmailBasedSubscriptions": True,
        "allowedToUseSSPR": True,
        "allowEmailVerifiedUsersToJoinOrganization": False,
        "allowUserConsentForRiskyApps": False,
        "blockMsolPowerShell": False,
        "guestUserRoleId": r.choice(
            ("10dae51f-b6af-4016-8d66-8c2a99b929b3", "2af84b1e-32c8-42b7-82bc-daa82404023b")
        ),
        "defaultUserRolePermissions": {
            "allowedToCreateApps": r.random() < 0.5,
            "allowedToCreateSecurityGroups": r.random() < 0.5,
            "allowedToCreateTenants": False,
            "allowedToReadOtherUsers": True,
            "allowedToReadBitlockerKeysForOwnedDevice": True,
            "permissionGrantPoliciesAssigned": consent,
        },
    }
