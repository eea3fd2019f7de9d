"""Exchange Online records from admin API cmdlet output (PascalCase, as PowerShell returns).

Identities: Exchange objects are named by `Identity`/`Name`; mailboxes also carry
`ExternalDirectoryObjectId`, the Entra user id, which is what exceptions and evidence use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from cosec.model.parse import JsonObject, Reader


def _name(r: Reader) -> str:
    return r.text("Identity") or r.text("Name") or r.text("Id")


@dataclass(frozen=True, slots=True)
class AntiPhishPolicy:
    name: str
    enabled: bool | None
    is_default: bool
    targeted_user_protection: bool | None
    targeted_users: tuple[str, ...]  # "Display Name;address" entries, as Exchange stores them
    organization_domains_protection: bool | None
    targeted_domains_protection: bool | None
    mailbox_intelligence: bool | None
    mailbox_intelligence_protection: bool | None
    spoof_intelligence: bool | None
    quirks: tuple[str, ...] = ()

    @property
    def protected_addresses(self) -> frozenset[str]:
        """Lower-cased addresses from TargetedUsersToProtect ('Name;addr' or 'addr')."""
        return frozenset(t.rsplit(";", 1)[-1].strip().lower() for t in self.targeted_users)


def parse_antiphish_policy(raw: JsonObject) -> AntiPhishPolicy:
    r = Reader(raw)
    return AntiPhishPolicy(
        name=_name(r),
        enabled=r.flag("Enabled", True),
        is_default=bool(r.flag("IsDefault", False)),
        targeted_user_protection=r.flag("EnableTargetedUserProtection"),
        targeted_users=r.texts("TargetedUsersToProtect"),
        organization_domains_protection=r.flag("EnableOrganizationDomainsProtection"),
        targeted_domains_protection=r.flag("EnableTargetedDomainsProtection"),
        mailbox_intelligence=r.flag("EnableMailboxIntelligence"),
        mailbox_intelligence_protection=r.flag("EnableMailboxIntelligenceProtection"),
        spoof_intelligence=r.flag("EnableSpoofIntelligence"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class AntiPhishRule:
    """Which recipients a (non-default) anti-phishing policy applies to."""

    name: str
    policy: str
    enabled: bool
    sent_to: tuple[str, ...]
    sent_to_member_of: tuple[str, ...]
    recipient_domain_is: tuple[str, ...]
    quirks: tuple[str, ...] = ()


def parse_antiphish_rule(raw: JsonObject) -> AntiPhishRule:
    r = Reader(raw)
    return AntiPhishRule(
        name=_name(r),
        policy=r.text("AntiPhishPolicy"),
        enabled=r.enum("State", ("Enabled", "Disabled"), default="Enabled") == "Enabled",
        sent_to=r.texts("SentTo"),
        sent_to_member_of=r.texts("SentToMemberOf"),
        recipient_domain_is=r.texts("RecipientDomainIs"),
        quirks=r.done(),
    )


class Mailbox(NamedTuple):
    identity: str
    user_id: str | None  # ExternalDirectoryObjectId
    upn: str
    forwarding_smtp_address: str | None
    forwarding_address: str | None
    audit_enabled: bool | None
    recipient_type: str
    quirks: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.user_id or self.identity

    @property
    def forwards_to(self) -> str | None:
        return self.forwarding_smtp_address or self.forwarding_address


def parse_mailbox(raw: JsonObject) -> Mailbox:
    r = Reader(raw)
    return Mailbox(
        identity=_name(r),
        user_id=r.opt_text("ExternalDirectoryObjectId"),
        upn=r.text("UserPrincipalName") or r.text("PrimarySmtpAddress"),
        forwarding_smtp_address=r.opt_text("ForwardingSmtpAddress"),
        forwarding_address=r.opt_text("ForwardingAddress"),
        audit_enabled=r.flag("AuditEnabled"),
        recipient_type=r.text("RecipientTypeDetails", "UserMailbox"),
        quirks=r.done(),
    )


AUTO_FORWARDING = ("Automatic", "On", "Off")


@dataclass(frozen=True, slots=True)
class OutboundSpamPolicy:
    name: str
    is_default: bool
    auto_forwarding_mode: str
    quirks: tuple[str, ...] = ()


def parse_outbound_spam_policy(raw: JsonObject) -> OutboundSpamPolicy:
    r = Reader(raw)
    return OutboundSpamPolicy(
        name=_name(r),
        is_default=bool(r.flag("IsDefault", False)),
        auto_forwarding_mode=r.enum("AutoForwardingMode", AUTO_FORWARDING, default="Automatic"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class SafeLinksPolicy:
    name: str
    email: bool | None
    teams: bool | None
    office: bool | None
    track_clicks: bool | None
    allow_click_through: bool | None
    quirks: tuple[str, ...] = ()


def parse_safe_links_policy(raw: JsonObject) -> SafeLinksPolicy:
    r = Reader(raw)
    return SafeLinksPolicy(
        name=_name(r),
        email=r.flag("EnableSafeLinksForEmail"),
        teams=r.flag("EnableSafeLinksForTeams"),
        office=r.flag("EnableSafeLinksForOffice"),
        track_clicks=r.flag("TrackClicks"),
        allow_click_through=r.flag("AllowClickThrough"),
        quirks=r.done(),
    )


SAFE_ATTACHMENT_ACTIONS = ("Allow", "Block", "DynamicDelivery", "Replace", "Monitor")


@dataclass(frozen=True, slots=True)
class SafeAttachmentPolicy:
    name: str
    enabled: bool | None
    action: str
    quirks: tuple[str, ...] = ()


def parse_safe_attachment_policy(raw: JsonObject) -> SafeAttachmentPolicy:
    r = Reader(raw)
    return SafeAttachmentPolicy(
        name=_name(r),
        enabled=r.flag("Enable"),
        action=r.enum("Action", SAFE_ATTACHMENT_ACTIONS, default="Block"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class DkimSigningConfig:
    domain: str
    enabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_dkim(raw: JsonObject) -> DkimSigningConfig:
    r = Reader(raw)
    return DkimSigningConfig(
        domain=r.text("Domain") or _name(r), enabled=r.flag("Enabled"), quirks=r.done()
    )


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """Get-AdminAuditLogConfig and Get-OrganizationConfig, the two audit switches."""

    unified_audit_log_ingestion: bool | None
    quirks: tuple[str, ...] = ()


def parse_admin_audit_config(raw: JsonObject) -> AuditConfig:
    r = Reader(raw)
    return AuditConfig(r.flag("UnifiedAuditLogIngestionEnabled"), quirks=r.done())


@dataclass(frozen=True, slots=True)
class OrganizationConfig:
    audit_disabled: bool | None  # mailbox auditing by default is on when this is False
    quirks: tuple[str, ...] = ()


def parse_organization_config(raw: JsonObject) -> OrganizationConfig:
    r = Reader(raw)
    return OrganizationConfig(r.flag("AuditDisabled"), quirks=r.done())
