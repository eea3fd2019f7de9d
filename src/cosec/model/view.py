"""`TenantView`: one typed, lazily parsed view of a snapshot for the controls.

Each resource is parsed on first use and cached, so a control that needs only the
authorization policy never parses 10,000 users. Asking for a resource the snapshot could
not read raises `ResourceUnavailable` (from `Snapshot.items`), which the engine turns into
`not_assessed`. Derived facts the controls share are resolved here once: transitive group
membership, who holds which directory role (directly or through a group), who a
Conditional Access policy applies to, and risk-tier membership.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Protocol, TypeVar

from cosec.model import devices, directory, exchange, policies, security
from cosec.model import exchange_settings as xs
from cosec.model import identity_settings as ids
from cosec.model.parse import JsonObject
from cosec.model.resources import Licence
from cosec.model.snapshot import Snapshot

T = TypeVar("T")

# Role template ids Microsoft documents as highly privileged (built-in roles).
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
PRIVILEGED_ROLES: dict[str, str] = {
    GLOBAL_ADMIN: "Global Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
    "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
    "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
    "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
}


class TierRule(Protocol):
    """What a risk tier says about membership (cosec.config.RiskTier satisfies it)."""

    @property
    def privileged_roles(self) -> bool: ...
    @property
    def groups(self) -> tuple[str, ...]: ...
    @property
    def departments(self) -> tuple[str, ...]: ...
    @property
    def users(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Quirk:
    resource: str
    object_id: str
    problem: str


class TenantView:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._policy_users: dict[str, frozenset[str]] = {}

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> TenantView:
        return cls(snapshot)

    @property
    def taken_at(self) -> datetime:
        return self.snapshot.taken_at

    def available(self, resource: str) -> bool:
        return self.snapshot.available(resource)

    def _parse(self, resource: str, parser: Callable[[JsonObject], T]) -> list[T]:
        return [parser(raw) for raw in self.snapshot.items(resource)]

    def _single(self, resource: str, parser: Callable[[JsonObject], T]) -> T:
        items = self.snapshot.items(resource)
        return parser(items[0] if items else {})

    # --- licences ---------------------------------------------------------------------

    @cached_property
    def skus(self) -> list[directory.SubscribedSku]:
        return self._parse("subscribedSkus", directory.parse_sku)

    @cached_property
    def licences(self) -> frozenset[Licence] | None:
        """Licences the tenant has (None if subscribedSkus could not be read)."""
        if not self.available("subscribedSkus"):
            return None
        found: set[Licence] = set()
        for sku in self.skus:
            if sku.capability_status in ("Enabled", "Warning"):
                found |= sku.licences
        return frozenset(found)

    @cached_property
    def mailbox_sku_ids(self) -> frozenset[str]:
        return frozenset(s.sku_id for s in self.skus if Licence.EXCHANGE in s.licences)

    # --- directory --------------------------------------------------------------------

    @cached_property
    def users(self) -> dict[str, directory.User]:
        return {u.id: u for u in self._parse("users", directory.parse_user)}

    @cached_property
    def enabled_members(self) -> dict[str, directory.User]:
        """Enabled, non-guest users: the population MFA and registration controls cover."""
        return {i: u for i, u in self.users.items() if u.enabled is not False and not u.is_guest}

    @cached_property
    def users_by_upn(self) -> dict[str, directory.User]:
        return {u.upn.lower(): u for u in self.users.values() if u.upn}

    def user_label(self, user_id: str) -> str:
        user = self.users.get(user_id) if self.available("users") else None
        return user.label if user else user_id

    @cached_property
    def organization(self) -> directory.Organization:
        return self._single("organization", directory.parse_organization)

    @cached_property
    def domain_records(self) -> list[directory.Domain]:
        return self._parse("domains", directory.parse_domain)

    @cached_property
    def domains(self) -> frozenset[str]:
        """Names of the tenant's domains (lower case): mail to others is external."""
        return frozenset(d.id for d in self.domain_records)

    def is_external(self, address: str) -> bool:
        domain = address.rsplit("@", 1)[-1].lower()
        return "@" in address and domain not in self.domains

    @cached_property
    def groups(self) -> dict[str, directory.Group]:
        return {g.id: g for g in self._parse("groups", directory.parse_group)}

    @cached_property
    def _direct_members(self) -> dict[str, list[directory.Member]]:
        return {
            gid: [directory.parse_member(m) for m in members]
            for gid, members in self.snapshot.children("groupMembers").items()
        }

    @cached_property
    def group_users(self) -> dict[str, frozenset[str]]:
        """Group id → user ids of all (transitive) members, nested groups expanded."""
        direct_users: dict[str, set[str]] = {}
        nested: dict[str, list[str]] = {}
        for gid, members in self._direct_members.items():
            direct_users[gid] = {m.id for m in members if m.kind in ("user", "")}
            nested[gid] = [m.id for m in members if m.kind == "group"]
        out: dict[str, frozenset[str]] = {}
        for gid in direct_users:
            users = set(direct_users[gid])
            seen = {gid}
            todo = list(nested[gid])
            while todo:  # breadth-first over nested groups; cycles stop at `seen`
                sub = todo.pop()
                if sub in seen:
                    continue
                seen.add(sub)
                users |= direct_users.get(sub, set())
                todo.extend(nested.get(sub, ()))
            out[gid] = frozenset(users)
        return out

    def members_of(self, group_ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for gid in group_ids:
            found |= self.group_users.get(gid, frozenset())
        return found

    @cached_property
    def group_ids_by_name(self) -> dict[str, str]:
        return {g.display_name.lower(): g.id for g in self.groups.values()}

    # --- roles ------------------------------------------------------------------------

    @cached_property
    def role_definitions(self) -> dict[str, directory.RoleDefinition]:
        return {r.id: r for r in self._parse("roleDefinitions", directory.parse_role_definition)}

    def role_template(self, role_definition_id: str) -> str:
        found = self.role_definitions.get(role_definition_id) if self._roles_read else None
        return found.template_id if found else role_definition_id

    def role_name(self, template_id: str) -> str:
        if self._roles_read:
            for r in self.role_definitions.values():
                if r.template_id == template_id:
                    return r.display_name
        return PRIVILEGED_ROLES.get(template_id, template_id)

    @cached_property
    def _roles_read(self) -> bool:
        return self.available("roleDefinitions")

    @cached_property
    def role_assignments(self) -> list[directory.RoleAssignment]:
        return self._parse("roleAssignments", directory.parse_role_assignment)

    @cached_property
    def role_eligibilities(self) -> list[directory.RoleAssignment]:
        return self._parse("roleEligibilitySchedules", directory.parse_role_assignment)

    def _holders(
        self, grants: list[directory.RoleAssignment]
    ) -> dict[str, dict[str, list[directory.RoleAssignment]]]:
        """template id → user id → the grants giving it (group grants expanded)."""
        out: dict[str, dict[str, list[directory.RoleAssignment]]] = {}
        for grant in grants:
            template = self.role_template(grant.role_definition_id)
            principals = [grant.principal_id]
            if grant.principal_id in self._direct_members or grant.principal_kind == "group":
                principals = sorted(self.group_users.get(grant.principal_id, frozenset()))
            for pid in principals:
                out.setdefault(template, {}).setdefault(pid, []).append(grant)
        return out

    @cached_property
    def active_role_holders(self) -> dict[str, dict[str, list[directory.RoleAssignment]]]:
        return self._holders(self.role_assignments)

    @cached_property
    def eligible_role_holders(self) -> dict[str, dict[str, list[directory.RoleAssignment]]]:
        return self._holders(self.role_eligibilities)

    @cached_property
    def privileged_users(self) -> frozenset[str]:
        """Users actively holding a highly privileged role (eligible ones when readable)."""
        found: set[str] = set()
        for template in PRIVILEGED_ROLES:
            found |= set(self.active_role_holders.get(template, {}))
            if self.available("roleEligibilitySchedules"):
                found |= set(self.eligible_role_holders.get(template, {}))
        return frozenset(found)

    def tier_members(self, tier: TierRule) -> frozenset[str]:
        """User ids in a risk tier (union of its rules)."""
        found: set[str] = set()
        if tier.privileged_roles:
            found |= self.privileged_users
        if tier.groups:
            by_name = self.group_ids_by_name
            ids = [g if g in self.groups else by_name.get(g.lower(), g) for g in tier.groups]
            found |= self.members_of(ids)
        if tier.departments:
            wanted = {d.lower() for d in tier.departments}
            found |= {u.id for u in self.users.values() if (u.department or "").lower() in wanted}
        for ref in tier.users:
            user = self.users.get(ref) or self.users_by_upn.get(ref.lower())
            if user is not None:
                found.add(user.id)
        return frozenset(found)

    @cached_property
    def registrations(self) -> dict[str, directory.RegistrationDetail]:
        return {
            r.id: r for r in self._parse("userRegistrationDetails", directory.parse_registration)
        }

    # --- policies ---------------------------------------------------------------------

    @cached_property
    def ca_policies(self) -> list[policies.CaPolicy]:
        return self._parse("conditionalAccessPolicies", policies.parse_ca_policy)

    @cached_property
    def named_locations(self) -> list[policies.NamedLocation]:
        return self._parse("namedLocations", policies.parse_named_location)

    @cached_property
    def auth_methods_policy(self) -> policies.AuthMethodsPolicy:
        return self._single("authenticationMethodsPolicy", policies.parse_auth_methods_policy)

    @cached_property
    def security_defaults(self) -> policies.SecurityDefaults:
        return self._single("securityDefaults", policies.parse_security_defaults)

    @cached_property
    def authorization_policy(self) -> policies.AuthorizationPolicy:
        return self._single("authorizationPolicy", policies.parse_authorization_policy)

    def policy_users(self, policy: policies.CaPolicy) -> frozenset[str]:
        """User ids a Conditional Access policy applies to, exclusions removed.

        Roles are resolved through active assignments (CA targets activated roles).
        """
        cached = self._policy_users.get(policy.id)
        if cached is not None:
            return cached
        included = self._select(policy.include_users, policy.include_groups, policy.include_roles)
        excluded = self._select(policy.exclude_users, policy.exclude_groups, policy.exclude_roles)
        result = frozenset(included - excluded)
        self._policy_users[policy.id] = result
        return result

    def _select(
        self, users: tuple[str, ...], groups: tuple[str, ...], roles: tuple[str, ...]
    ) -> set[str]:
        found: set[str] = set()
        for ref in users:
            if ref == "All":
                found |= set(self.users)
            elif ref == "GuestsOrExternalUsers":
                found |= {u.id for u in self.users.values() if u.is_guest}
            elif ref != "None":
                found.add(ref)
        if groups:
            found |= self.members_of(groups)
        for role in roles:
            found |= set(self.active_role_holders.get(role, {}))
        return found

    # --- devices ----------------------------------------------------------------------

    @cached_property
    def managed_devices(self) -> list[devices.ManagedDevice]:
        return self._parse("managedDevices", devices.parse_managed_device)

    @cached_property
    def compliance_policies(self) -> list[devices.CompliancePolicy]:
        return self._parse("deviceCompliancePolicies", devices.parse_compliance_policy)

    @cached_property
    def mde_machines(self) -> list[devices.MdeMachine]:
        return self._parse("mdeMachines", devices.parse_mde_machine)

    @cached_property
    def machine_names(self) -> dict[str, str]:
        return {m.id: m.name for m in self.mde_machines}

    @cached_property
    def vulnerabilities(self) -> list[devices.Vulnerability]:
        return [
            devices.parse_vulnerability(raw, machine_id)
            for machine_id, items in self.snapshot.children("mdeVulnerabilities").items()
            for raw in items
            # the export also lists vulnerable-software rows without a CVE: not findings
            if not ("cveId" in raw and raw["cveId"] is None)
        ]

    # --- security and mail ------------------------------------------------------------

    @cached_property
    def risky_users(self) -> list[security.RiskyUser]:
        return self._parse("riskyUsers", security.parse_risky_user)

    @cached_property
    def secure_scores(self) -> list[security.SecureScore]:
        return self._parse("secureScores", security.parse_secure_score)

    @cached_property
    def control_profiles(self) -> list[security.SecureScoreControlProfile]:
        return self._parse("secureScoreControlProfiles", security.parse_control_profile)

    @cached_property
    def message_rules(self) -> list[security.MessageRule]:
        return [
            security.parse_message_rule(raw, user_id)
            for user_id, items in self.snapshot.children("messageRules").items()
            for raw in items
        ]

    @cached_property
    def antiphish_policies(self) -> list[exchange.AntiPhishPolicy]:
        return self._parse("antiPhishPolicies", exchange.parse_antiphish_policy)

    @cached_property
    def antiphish_rules(self) -> list[exchange.AntiPhishRule]:
        return self._parse("antiPhishRules", exchange.parse_antiphish_rule)

    @cached_property
    def mailboxes(self) -> list[exchange.Mailbox]:
        return self._parse("mailboxes", exchange.parse_mailbox)

    @cached_property
    def outbound_spam_policies(self) -> list[exchange.OutboundSpamPolicy]:
        return self._parse("outboundSpamPolicies", exchange.parse_outbound_spam_policy)

    @cached_property
    def safe_links_policies(self) -> list[exchange.SafeLinksPolicy]:
        return self._parse("safeLinksPolicies", exchange.parse_safe_links_policy)

    @cached_property
    def safe_attachment_policies(self) -> list[exchange.SafeAttachmentPolicy]:
        return self._parse("safeAttachmentPolicies", exchange.parse_safe_attachment_policy)

    @cached_property
    def dkim_configs(self) -> list[exchange.DkimSigningConfig]:
        return self._parse("dkimSigningConfigs", exchange.parse_dkim)

    @cached_property
    def admin_audit_config(self) -> exchange.AuditConfig:
        return self._single("adminAuditLogConfig", exchange.parse_admin_audit_config)

    @cached_property
    def organization_config(self) -> exchange.OrganizationConfig:
        return self._single("organizationConfig", exchange.parse_organization_config)

    # --- Exchange settings (cosec.model.exchange_settings) -------------------------------

    @cached_property
    def remote_domains(self) -> list[xs.RemoteDomain]:
        return self._parse("remoteDomains", xs.parse_remote_domain)

    @cached_property
    def transport_config(self) -> xs.TransportConfig:
        return self._single("transportConfig", xs.parse_transport_config)

    @cached_property
    def external_in_outlook(self) -> xs.ExternalInOutlook:
        return self._single("externalInOutlook", xs.parse_external_in_outlook)

    @cached_property
    def sharing_policies(self) -> list[xs.SharingPolicy]:
        return self._parse("sharingPolicies", xs.parse_sharing_policy)

    @cached_property
    def malware_filter_policies(self) -> list[xs.MalwareFilterPolicy]:
        return self._parse("malwareFilterPolicies", xs.parse_malware_filter_policy)

    @cached_property
    def content_filter_policies(self) -> list[xs.ContentFilterPolicy]:
        return self._parse("hostedContentFilterPolicies", xs.parse_content_filter_policy)

    @cached_property
    def connection_filter_policies(self) -> list[xs.ConnectionFilterPolicy]:
        return self._parse("connectionFilterPolicies", xs.parse_connection_filter_policy)

    @cached_property
    def eop_preset_rules(self) -> list[xs.PresetRule]:
        return self._parse("eopProtectionPolicyRules", xs.parse_preset_rule)

    @cached_property
    def atp_preset_rules(self) -> list[xs.PresetRule]:
        return self._parse("atpProtectionPolicyRules", xs.parse_preset_rule)

    # --- identity and SharePoint settings (cosec.model.identity_settings) ---------------

    @cached_property
    def assignment_instances(self) -> list[ids.AssignmentInstance]:
        return self._parse("roleAssignmentSchedules", ids.parse_assignment_instance)

    @cached_property
    def admin_consent_policy(self) -> ids.AdminConsentPolicy:
        return self._single("adminConsentRequestPolicy", ids.parse_admin_consent_policy)

    @cached_property
    def device_registration_policy(self) -> ids.DeviceRegistrationPolicy:
        return self._single("deviceRegistrationPolicy", ids.parse_device_registration_policy)

    @cached_property
    def sharepoint_settings(self) -> ids.SharePointSettings:
        return self._single("sharepointSettings", ids.parse_sharepoint_settings)

    # --- parse report -----------------------------------------------------------------

    def parse_report(self) -> list[Quirk]:
        """Every quirk found while parsing the resources this snapshot holds."""
        records: dict[str, Callable[[], Iterable[object]]] = {
            "organization": lambda: [self.organization],
            "domains": lambda: self.domain_records,
            "subscribedSkus": lambda: self.skus,
            "users": lambda: self.users.values(),
            "groups": lambda: self.groups.values(),
            "roleDefinitions": lambda: self.role_definitions.values(),
            "roleAssignments": lambda: self.role_assignments,
            "roleEligibilitySchedules": lambda: self.role_eligibilities,
            "userRegistrationDetails": lambda: self.registrations.values(),
            "conditionalAccessPolicies": lambda: self.ca_policies,
            "namedLocations": lambda: self.named_locations,
            "authenticationMethodsPolicy": lambda: [self.auth_methods_policy],
            "securityDefaults": lambda: [self.security_defaults],
            "authorizationPolicy": lambda: [self.authorization_policy],
            "managedDevices": lambda: self.managed_devices,
            "deviceCompliancePolicies": lambda: self.compliance_policies,
            "mdeMachines": lambda: self.mde_machines,
            "mdeVulnerabilities": lambda: self.vulnerabilities,
            "riskyUsers": lambda: self.risky_users,
            "secureScores": lambda: self.secure_scores,
            "secureScoreControlProfiles": lambda: self.control_profiles,
            "messageRules": lambda: self.message_rules,
            "antiPhishPolicies": lambda: self.antiphish_policies,
            "antiPhishRules": lambda: self.antiphish_rules,
            "mailboxes": lambda: self.mailboxes,
            "outboundSpamPolicies": lambda: self.outbound_spam_policies,
            "safeLinksPolicies": lambda: self.safe_links_policies,
            "safeAttachmentPolicies": lambda: self.safe_attachment_policies,
            "dkimSigningConfigs": lambda: self.dkim_configs,
            "adminAuditLogConfig": lambda: [self.admin_audit_config],
            "organizationConfig": lambda: [self.organization_config],
        }
        out: list[Quirk] = []
        for resource, get in records.items():
            if not self.available(resource):
                continue
            for item in get():
                for problem in getattr(item, "quirks", ()):
                    oid = str(getattr(item, "id", "") or getattr(item, "name", ""))
                    out.append(Quirk(resource, oid, problem))
        return out
