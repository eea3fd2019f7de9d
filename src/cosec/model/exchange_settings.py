"""Exchange Online settings read by cmdlet (PascalCase, as PowerShell returns them):
remote domains, transport, sharing, malware/spam/connection filtering, external-sender
tagging and the preset security policy rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.model.parse import JsonObject, Reader


def _name(r: Reader) -> str:
    return r.text("Identity") or r.text("Name") or r.text("Id")


@dataclass(frozen=True, slots=True)
class RemoteDomain:
    name: str
    domain_name: str  # "*" is the Default remote domain: every external domain
    auto_forward_enabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_remote_domain(raw: JsonObject) -> RemoteDomain:
    r = Reader(raw)
    return RemoteDomain(
        name=_name(r),
        domain_name=r.text("DomainName"),
        auto_forward_enabled=r.flag("AutoForwardEnabled"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class TransportConfig:
    name: str
    smtp_client_auth_disabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_transport_config(raw: JsonObject) -> TransportConfig:
    r = Reader(raw)
    return TransportConfig(
        name=_name(r) or "Transport config",
        smtp_client_auth_disabled=r.flag("SmtpClientAuthenticationDisabled"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class ExternalInOutlook:
    name: str
    enabled: bool | None
    quirks: tuple[str, ...] = ()


def parse_external_in_outlook(raw: JsonObject) -> ExternalInOutlook:
    r = Reader(raw)
    return ExternalInOutlook(
        name=_name(r) or "ExternalInOutlook", enabled=r.flag("Enabled"), quirks=r.done()
    )


@dataclass(frozen=True, slots=True)
class SharingPolicy:
    name: str
    enabled: bool | None
    is_default: bool
    domains: tuple[str, ...]  # "domain:Right1,Right2"; "*" every domain, "Anonymous" links
    quirks: tuple[str, ...] = ()

    def rights_for(self, domain: str) -> frozenset[str]:
        """Sharing rights granted to one domain entry ('*' for all external domains)."""
        found: set[str] = set()
        for entry in self.domains:
            target, _, rights = entry.partition(":")
            if target.strip().lower() == domain.lower():
                found |= {x.strip() for x in rights.split(",") if x.strip()}
        return frozenset(found)


def parse_sharing_policy(raw: JsonObject) -> SharingPolicy:
    r = Reader(raw)
    return SharingPolicy(
        name=_name(r),
        enabled=r.flag("Enabled"),
        is_default=bool(r.flag("Default", False)),
        domains=r.texts("Domains"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class MalwareFilterPolicy:
    name: str
    is_default: bool
    file_filter: bool | None
    file_types: tuple[str, ...]
    zap: bool | None
    internal_sender_notifications: bool | None
    quirks: tuple[str, ...] = ()


def parse_malware_filter_policy(raw: JsonObject) -> MalwareFilterPolicy:
    r = Reader(raw)
    return MalwareFilterPolicy(
        name=_name(r),
        is_default=bool(r.flag("IsDefault", False)),
        file_filter=r.flag("EnableFileFilter"),
        file_types=r.texts("FileTypes"),
        zap=r.flag("ZapEnabled"),
        internal_sender_notifications=r.flag("EnableInternalSenderAdminNotifications"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class ContentFilterPolicy:
    name: str
    is_default: bool
    spam_zap: bool | None
    phish_zap: bool | None
    allowed_sender_domains: tuple[str, ...]
    quirks: tuple[str, ...] = ()


def parse_content_filter_policy(raw: JsonObject) -> ContentFilterPolicy:
    r = Reader(raw)
    return ContentFilterPolicy(
        name=_name(r),
        is_default=bool(r.flag("IsDefault", False)),
        spam_zap=r.flag("SpamZapEnabled"),
        phish_zap=r.flag("PhishZapEnabled"),
        allowed_sender_domains=r.texts("AllowedSenderDomains"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class ConnectionFilterPolicy:
    name: str
    ip_allow_list: tuple[str, ...]
    safe_list: bool | None
    quirks: tuple[str, ...] = ()


def parse_connection_filter_policy(raw: JsonObject) -> ConnectionFilterPolicy:
    r = Reader(raw)
    return ConnectionFilterPolicy(
        name=_name(r),
        ip_allow_list=r.texts("IPAllowList"),
        safe_list=r.flag("EnableSafeList"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class PresetRule:
    """A Standard/Strict preset security policy rule: who the preset applies to."""

    name: str
    enabled: bool
    anti_phish_policy: str
    recipients: tuple[str, ...]  # SentTo + SentToMemberOf + RecipientDomainIs
    quirks: tuple[str, ...] = ()

    @property
    def applies(self) -> bool:
        """Enabled and scoped to someone (a preset rule with no recipients applies to none)."""
        return self.enabled and bool(self.recipients)


def parse_preset_rule(raw: JsonObject) -> PresetRule:
    r = Reader(raw)
    recipients = r.texts("SentTo") + r.texts("SentToMemberOf") + r.texts("RecipientDomainIs")
    return PresetRule(
        name=_name(r),
        enabled=r.enum("State", ("Enabled", "Disabled"), default="Enabled") == "Enabled",
        anti_phish_policy=r.text("AntiPhishPolicy"),
        recipients=recipients,
        quirks=r.done(),
    )


def organization_flag(raw_org_config: JsonObject, name: str) -> bool | None:
    """One boolean of the raw Get-OrganizationConfig output (None when absent)."""
    value = raw_org_config.get(name)
    return value if isinstance(value, bool) else None
