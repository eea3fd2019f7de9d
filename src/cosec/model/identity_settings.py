"""Tenant-wide identity and SharePoint settings, and PIM assignment schedule instances
(Graph v1.0 shapes), for the controls that read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cosec.model.parse import JsonObject, Reader, odata_type

NEVER_EXPIRES = 2147483647  # passwordValidityPeriodInDays of "never expire"


@dataclass(frozen=True, slots=True)
class AssignmentInstance:
    """An active role assignment as PIM schedules it."""

    id: str
    principal_id: str
    role_definition_id: str
    assignment_type: str  # Assigned (standing or time-bound) | Activated (from eligible)
    end: datetime | None
    quirks: tuple[str, ...] = ()

    @property
    def permanent(self) -> bool:
        return self.assignment_type != "Activated" and self.end is None


def parse_assignment_instance(raw: JsonObject) -> AssignmentInstance:
    r = Reader(raw)
    return AssignmentInstance(
        id=r.text("id"),
        principal_id=r.text("principalId"),
        role_definition_id=r.text("roleDefinitionId"),
        assignment_type=r.text("assignmentType", "Assigned"),
        end=r.timestamp("endDateTime"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class AdminConsentPolicy:
    enabled: bool | None
    reviewers: int
    quirks: tuple[str, ...] = ()


def parse_admin_consent_policy(raw: JsonObject) -> AdminConsentPolicy:
    r = Reader(raw)
    return AdminConsentPolicy(
        enabled=r.flag("isEnabled"), reviewers=len(r.objects("reviewers")), quirks=r.done()
    )


@dataclass(frozen=True, slots=True)
class DeviceRegistrationPolicy:
    mfa_to_register: str  # multiFactorAuthConfiguration: required | notRequired
    registering_users_local_admins: str  # membership type: all | enumerated | no
    laps_enabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_device_registration_policy(raw: JsonObject) -> DeviceRegistrationPolicy:
    r = Reader(raw)
    admins = r.child("azureADJoin").child("localAdmins")
    registering = admins.get("registeringUsers")
    kind = odata_type(registering) if isinstance(registering, dict) else ""
    return DeviceRegistrationPolicy(
        mfa_to_register=r.text("multiFactorAuthConfiguration"),
        registering_users_local_admins=kind.removesuffix("DeviceRegistrationMembership"),
        laps_enabled=r.child("localAdminPassword").flag("isEnabled"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class SharePointSettings:
    sharing_capability: str
    resharing_by_external_users: bool | None
    unmanaged_sync_restricted: bool | None
    quirks: tuple[str, ...] = ()


def parse_sharepoint_settings(raw: JsonObject) -> SharePointSettings:
    r = Reader(raw)
    return SharePointSettings(
        sharing_capability=r.text("sharingCapability"),
        resharing_by_external_users=r.flag("isResharingByExternalUsersEnabled"),
        unmanaged_sync_restricted=r.flag("isUnmanagedSyncAppForTenantRestricted"),
        quirks=r.done(),
    )


def password_validity_days(raw_domain: JsonObject) -> int | None:
    value = raw_domain.get("passwordValidityPeriodInDays")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def default_user_permission(raw_authorization_policy: JsonObject, name: str) -> bool | None:
    """One defaultUserRolePermissions flag of the raw authorizationPolicy (None if absent)."""
    perms = raw_authorization_policy.get("defaultUserRolePermissions")
    value = perms.get(name) if isinstance(perms, dict) else None
    return value if isinstance(value, bool) else None


def top_level_flag(raw: JsonObject, name: str) -> bool | None:
    value = raw.get(name)
    return value if isinstance(value, bool) else None
