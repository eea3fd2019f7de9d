"""Directory records: users, groups, directory roles, MFA registration, licences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from cosec.model.licensing import MDO_PLAN2, plan_features, plan_name
from cosec.model.parse import JsonObject, Reader, odata_type
from cosec.model.resources import Licence

USER_TYPES = ("Member", "Guest")


class User(NamedTuple):
    id: str
    upn: str
    display_name: str
    enabled: bool | None
    user_type: str  # Member | Guest (raw value kept if unexpected)
    department: str | None
    mail: str | None
    on_premises_sync: bool
    sku_ids: tuple[str, ...]
    created: datetime | None
    last_sign_in: datetime | None  # latest of interactive and non-interactive sign-in
    quirks: tuple[str, ...] = ()

    @property
    def is_guest(self) -> bool:
        return self.user_type == "Guest" or "#EXT#" in self.upn

    @property
    def label(self) -> str:
        return self.upn or self.display_name or self.id


def parse_user(raw: JsonObject) -> User:
    r = Reader(raw)
    activity = r.child("signInActivity")
    interactive = activity.timestamp("lastSignInDateTime")
    background = activity.timestamp("lastNonInteractiveSignInDateTime")
    last = max(interactive, background) if interactive and background else interactive or background
    skus = tuple(
        str(lic["skuId"]) for lic in r.objects("assignedLicenses") if lic.get("skuId") is not None
    )
    return User(
        id=r.text("id"),
        upn=r.text("userPrincipalName"),
        display_name=r.text("displayName"),
        enabled=r.flag("accountEnabled"),
        user_type=r.enum("userType", USER_TYPES, default="Member"),
        department=r.opt_text("department"),
        mail=r.opt_text("mail"),
        on_premises_sync=bool(r.flag("onPremisesSyncEnabled", False)),
        sku_ids=skus,
        created=r.timestamp("createdDateTime"),
        last_sign_in=last,
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    display_name: str
    security_enabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_group(raw: JsonObject) -> Group:
    r = Reader(raw)
    return Group(
        id=r.text("id"),
        display_name=r.text("displayName"),
        security_enabled=r.flag("securityEnabled"),
        quirks=r.done(),
    )


class Member(NamedTuple):
    """One transitive member of a group (user, group, device or service principal)."""

    id: str
    kind: str  # odata type name: user, group, device, servicePrincipal ('' if absent)


def parse_member(raw: JsonObject) -> Member:
    return Member(id=str(raw.get("id", "")), kind=odata_type(raw))


@dataclass(frozen=True, slots=True)
class RoleDefinition:
    id: str
    display_name: str
    template_id: str
    built_in: bool | None
    quirks: tuple[str, ...] = ()


def parse_role_definition(raw: JsonObject) -> RoleDefinition:
    r = Reader(raw)
    rid = r.text("id")
    return RoleDefinition(
        id=rid,
        display_name=r.text("displayName"),
        template_id=r.text("templateId") or rid,
        built_in=r.flag("isBuiltIn"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    """An active (roleAssignments) or eligible (roleEligibility…) directory role grant."""

    id: str
    principal_id: str
    role_definition_id: str
    directory_scope_id: str
    principal_kind: str  # from an expanded principal, '' when not expanded
    end: datetime | None  # eligibility schedules: when it lapses
    quirks: tuple[str, ...] = ()


def parse_role_assignment(raw: JsonObject) -> RoleAssignment:
    r = Reader(raw)
    principal = raw.get("principal")
    return RoleAssignment(
        id=r.text("id"),
        principal_id=r.text("principalId"),
        role_definition_id=r.text("roleDefinitionId"),
        directory_scope_id=r.text("directoryScopeId", "/"),
        principal_kind=odata_type(principal) if isinstance(principal, dict) else "",
        end=r.timestamp("endDateTime"),
        quirks=r.done(),
    )


class RegistrationDetail(NamedTuple):
    """userRegistrationDetails: what a user has registered for MFA and SSPR."""

    id: str  # the user id
    upn: str
    is_admin: bool | None
    mfa_registered: bool | None
    mfa_capable: bool | None
    sspr_registered: bool | None
    passwordless_capable: bool | None
    methods: tuple[str, ...]
    quirks: tuple[str, ...] = ()


def parse_registration(raw: JsonObject) -> RegistrationDetail:
    r = Reader(raw)
    return RegistrationDetail(
        id=r.text("id"),
        upn=r.text("userPrincipalName"),
        is_admin=r.flag("isAdmin"),
        mfa_registered=r.flag("isMfaRegistered"),
        mfa_capable=r.flag("isMfaCapable"),
        sspr_registered=r.flag("isSsprRegistered"),
        passwordless_capable=r.flag("isPasswordlessCapable"),
        methods=r.texts("methodsRegistered"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class SubscribedSku:
    sku_id: str
    sku_part_number: str
    enabled_units: int | None
    consumed_units: int | None
    service_plans: tuple[str, ...]
    licences: frozenset[Licence]
    capability_status: str
    quirks: tuple[str, ...] = ()

    @property
    def mdo_plan2(self) -> bool:
        return bool(MDO_PLAN2 & set(self.service_plans))


def parse_sku(raw: JsonObject) -> SubscribedSku:
    r = Reader(raw)
    active = [
        (str(p.get("servicePlanName", "")), str(p.get("servicePlanId", "")))
        for p in r.objects("servicePlans")
        if p.get("provisioningStatus", "Success") != "Disabled"
    ]
    plans = tuple(plan_name(name, pid) for name, pid in active)
    licences = {lic for name, pid in active for lic in plan_features(name, pid)}
    prepaid = r.child("prepaidUnits")
    return SubscribedSku(
        sku_id=r.text("skuId"),
        sku_part_number=r.text("skuPartNumber"),
        enabled_units=prepaid.integer("enabled"),
        consumed_units=r.integer("consumedUnits"),
        service_plans=plans,
        licences=frozenset(licences),
        capability_status=r.text("capabilityStatus", "Enabled"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    display_name: str
    on_premises_sync: bool
    technical_notification_mails: tuple[str, ...]
    quirks: tuple[str, ...] = ()


def parse_organization(raw: JsonObject) -> Organization:
    r = Reader(raw)
    return Organization(
        id=r.text("id"),
        display_name=r.text("displayName"),
        on_premises_sync=bool(r.flag("onPremisesSyncEnabled", False)),
        technical_notification_mails=r.texts("technicalNotificationMails"),
        quirks=r.done(),
    )


DOMAIN_AUTHENTICATION = ("Managed", "Federated")


@dataclass(frozen=True, slots=True)
class Domain:
    id: str  # the domain name
    verified: bool | None
    default: bool | None
    initial: bool | None
    authentication_type: str
    services: tuple[str, ...]
    quirks: tuple[str, ...] = ()


def parse_domain(raw: JsonObject) -> Domain:
    r = Reader(raw)
    return Domain(
        id=r.text("id").lower(),
        verified=r.flag("isVerified"),
        default=r.flag("isDefault"),
        initial=r.flag("isInitial"),
        authentication_type=r.enum("authenticationType", DOMAIN_AUTHENTICATION, "Managed"),
        services=r.texts("supportedServices"),
        quirks=r.done(),
    )
