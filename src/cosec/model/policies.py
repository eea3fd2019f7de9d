"""Entra policy records: Conditional Access, named locations, authentication methods,
security defaults and the authorization policy."""

from __future__ import annotations

from dataclasses import dataclass

from cosec.model.parse import JsonObject, Reader, odata_type
from cosec.model.strength import AuthStrength, parse_strength

CA_STATES = ("enabled", "disabled", "enabledForReportingButNotEnforced")
RISK_LEVELS = ("low", "medium", "high", "hidden", "none", "unknownFutureValue")


@dataclass(frozen=True, slots=True)
class CaPolicy:
    id: str
    display_name: str
    state: str
    include_users: tuple[str, ...]  # ids, or "All", "None", "GuestsOrExternalUsers"
    exclude_users: tuple[str, ...]
    include_groups: tuple[str, ...]
    exclude_groups: tuple[str, ...]
    include_roles: tuple[str, ...]  # role template ids
    exclude_roles: tuple[str, ...]
    include_applications: tuple[str, ...]
    exclude_applications: tuple[str, ...]
    include_user_actions: tuple[str, ...]
    client_app_types: tuple[str, ...]
    user_risk_levels: tuple[str, ...]
    sign_in_risk_levels: tuple[str, ...]
    operator: str  # AND | OR
    built_in_controls: tuple[str, ...]  # mfa, block, compliantDevice, passwordChange, …
    authentication_strength: str | None  # display name or id of the strength policy
    quirks: tuple[str, ...] = ()
    strength: AuthStrength | None = None  # what the strength allows (decides, not its name)

    @property
    def enabled(self) -> bool:
        return self.state == "enabled"

    @property
    def all_apps(self) -> bool:
        return "All" in self.include_applications and not self.exclude_applications

    @property
    def blocks(self) -> bool:
        return "block" in self.built_in_controls

    @property
    def requires_mfa(self) -> bool:
        """Grant requires MFA (or an authentication strength, which implies it)."""
        if self.blocks:
            return False
        mfa = "mfa" in self.built_in_controls or self.authentication_strength is not None
        if not mfa:
            return False
        # with OR, another satisfiable control would let a user through without MFA
        return self.operator == "AND" or len(self.built_in_controls) <= 1


def parse_ca_policy(raw: JsonObject) -> CaPolicy:
    r = Reader(raw)
    cond = r.child("conditions")
    users = cond.child("users")
    apps = cond.child("applications")
    grant = r.child("grantControls")
    strength = raw.get("grantControls") or {}
    strength_obj = strength.get("authenticationStrength") if isinstance(strength, dict) else None
    strength_name = None
    if isinstance(strength_obj, dict):
        strength_name = str(strength_obj.get("displayName") or strength_obj.get("id") or "")
        strength_name = strength_name or None
    return CaPolicy(
        id=r.text("id"),
        display_name=r.text("displayName"),
        state=r.enum("state", CA_STATES),
        include_users=users.texts("includeUsers"),
        exclude_users=users.texts("excludeUsers"),
        include_groups=users.texts("includeGroups"),
        exclude_groups=users.texts("excludeGroups"),
        include_roles=users.texts("includeRoles"),
        exclude_roles=users.texts("excludeRoles"),
        include_applications=apps.texts("includeApplications"),
        exclude_applications=apps.texts("excludeApplications"),
        include_user_actions=apps.texts("includeUserActions"),
        client_app_types=cond.texts("clientAppTypes"),
        user_risk_levels=cond.texts("userRiskLevels"),
        sign_in_risk_levels=cond.texts("signInRiskLevels"),
        operator=grant.enum("operator", ("AND", "OR"), default="OR"),
        built_in_controls=grant.texts("builtInControls"),
        authentication_strength=strength_name,
        quirks=r.done(),
        strength=parse_strength(raw),
    )


@dataclass(frozen=True, slots=True)
class NamedLocation:
    id: str
    display_name: str
    kind: str  # ipNamedLocation | countryNamedLocation
    trusted: bool | None
    ranges: tuple[str, ...]
    countries: tuple[str, ...]
    quirks: tuple[str, ...] = ()


def parse_named_location(raw: JsonObject) -> NamedLocation:
    r = Reader(raw)
    ranges = tuple(
        str(x.get("cidrAddress", "")) for x in r.objects("ipRanges") if x.get("cidrAddress")
    )
    return NamedLocation(
        id=r.text("id"),
        display_name=r.text("displayName"),
        kind=odata_type(raw),
        trusted=r.flag("isTrusted"),
        ranges=ranges,
        countries=r.texts("countriesAndRegions"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class MethodConfig:
    id: str  # Fido2, MicrosoftAuthenticator, Sms, Voice, Email, TemporaryAccessPass, …
    state: str  # enabled | disabled
    number_matching: str | None  # Authenticator: enabled | disabled | default


@dataclass(frozen=True, slots=True)
class AuthMethodsPolicy:
    methods: dict[str, MethodConfig]
    registration_campaign: str | None
    quirks: tuple[str, ...] = ()

    def enabled(self, method_id: str) -> bool:
        found = self.methods.get(method_id.lower())
        return found is not None and found.state == "enabled"


def _number_matching(cfg: JsonObject) -> str | None:
    """Authenticator number matching: in featureSettings, or per target in older shapes."""
    settings = cfg.get("featureSettings")
    if isinstance(settings, dict):
        state = settings.get("numberMatchingRequiredState")
        if isinstance(state, dict) and isinstance(state.get("state"), str):
            return str(state["state"])
    for target in cfg.get("includeTargets") or []:
        if isinstance(target, dict) and isinstance(target.get("numberMatchingRequiredState"), str):
            return str(target["numberMatchingRequiredState"])
    return None


def parse_auth_methods_policy(raw: JsonObject) -> AuthMethodsPolicy:
    r = Reader(raw)
    methods: dict[str, MethodConfig] = {}
    for cfg in r.objects("authenticationMethodConfigurations"):
        c = Reader(cfg)
        matching = (
            _number_matching(cfg) if c.text("id").lower() == "microsoftauthenticator" else None
        )
        mid = c.text("id")
        methods[mid.lower()] = MethodConfig(
            id=mid, state=c.enum("state", ("enabled", "disabled")), number_matching=matching
        )
        r.quirks.extend(f"authenticationMethodConfigurations[{mid}].{q}" for q in c.done())
    campaign = r.child("registrationEnforcement").child("authenticationMethodsRegistrationCampaign")
    return AuthMethodsPolicy(
        methods=methods,
        registration_campaign=campaign.opt_text("state"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class SecurityDefaults:
    enabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_security_defaults(raw: JsonObject) -> SecurityDefaults:
    r = Reader(raw)
    return SecurityDefaults(enabled=r.flag("isEnabled"), quirks=r.done())


INVITE_SETTINGS = ("none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone")
# guestUserRoleId values: the three documented guest permission levels.
GUEST_ROLE_RESTRICTED = "2af84b1e-32c8-42b7-82bc-daa82404023b"
GUEST_ROLE_LIMITED = "10dae51f-b6af-4016-8d66-8c2a99b929b3"
GUEST_ROLE_SAME_AS_MEMBER = "a0b1b346-4d3e-4e8b-98f8-753987be4970"


@dataclass(frozen=True, slots=True)
class AuthorizationPolicy:
    allow_invites_from: str
    guest_user_role_id: str | None
    allowed_to_use_sspr: bool | None
    permission_grant_policies: tuple[str, ...]  # what users may consent to
    users_can_create_apps: bool | None
    allow_email_verified_join: bool | None
    quirks: tuple[str, ...] = ()

    @property
    def user_consent_policies(self) -> tuple[str, ...]:
        """Permission grant policies letting users consent to apps for themselves."""
        return tuple(
            p
            for p in self.permission_grant_policies
            if p.startswith("ManagePermissionGrantsForSelf.")
        )


def parse_authorization_policy(raw: JsonObject) -> AuthorizationPolicy:
    r = Reader(raw)
    perms = r.child("defaultUserRolePermissions")
    return AuthorizationPolicy(
        allow_invites_from=r.enum("allowInvitesFrom", INVITE_SETTINGS),
        guest_user_role_id=r.opt_text("guestUserRoleId"),
        allowed_to_use_sspr=r.flag("allowedToUseSSPR"),
        permission_grant_policies=perms.texts("permissionGrantPoliciesAssigned"),
        users_can_create_apps=perms.flag("allowedToCreateApps"),
        allow_email_verified_join=r.flag("allowEmailVerifiedUsersToJoinOrganization"),
        quirks=r.done(),
    )
