"""Exchange Online settings beyond the protection policies: remote domains, transport,
sharing, malware and spam filtering, connection filtering, external-sender tagging and
the preset security policy rules — as the Get-* cmdlets return them (PascalCase).

Drawn from their own random stream, so adding them leaves every other generated object
of a seeded tenant unchanged.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cosec.simulator.history import Collection, Json
from cosec.simulator.seeding import at, iso, rng

COMMON_FILE_TYPES = [
    "ace",
    "ani",
    "apk",
    "app",
    "cab",
    "cmd",
    "com",
    "deb",
    "dmg",
    "exe",
    "iso",
    "jar",
    "js",
    "lnk",
    "msi",
    "ps1",
    "reg",
    "scr",
    "vbe",
    "vbs",
    "wsf",
]
STANDARD_PRESET = "Standard Preset Security Policy"
STRICT_PRESET = "Strict Preset Security Policy"


def exchange_settings(
    seed: int, domains: list[str], first_day: date, mdo: bool
) -> dict[str, Collection]:
    """cmdlet name → its objects (by Identity), existing from before the history starts."""
    r = rng(seed, "exchange-settings")
    created = at(first_day - timedelta(days=600), 10)
    changed = iso(created)
    out: dict[str, Collection] = {}

    def put(cmdlet: str, objects: list[Json]) -> None:
        coll = out.setdefault(cmdlet, Collection())
        for obj in objects:
            coll.add(str(obj["Identity"]), created, {**obj, "WhenChanged": changed})

    put("Get-RemoteDomain", _remote_domains(r))
    put("Get-TransportConfig", [_transport(r, domains)])
    put("Get-ExternalInOutlook", [_external_tagging(r)])
    put("Get-SharingPolicy", _sharing(r))
    put("Get-MalwareFilterPolicy", [_malware(r)])
    put("Get-HostedContentFilterPolicy", [_spam(r)])
    put("Get-HostedConnectionFilterPolicy", [_connection(r)])
    preset = r.random() < 0.5
    put("Get-EOPProtectionPolicyRule", _preset_rules(domains, preset, atp=False))
    put("Get-ATPProtectionPolicyRule", _preset_rules(domains, preset, atp=True) if mdo else [])
    return out


def _remote_domains(r: random.Random) -> list[Json]:
    found = [
        {
            "Name": "Default",
            "Identity": "Default",
            "DomainName": "*",
            "AutoForwardEnabled": r.random() < 0.4,
            "AutoReplyEnabled": True,
            "AllowedOOFType": "External",
            "IsInternal": False,
        }
    ]
    if r.random() < 0.3:
        found.append(
            {
                "Name": "Partner",
                "Identity": "Partner",
                "DomainName": "partner-firm.example",
                "AutoForwardEnabled": True,
                "AutoReplyEnabled": True,
                "AllowedOOFType": "External",
                "IsInternal": False,
            }
        )
    return found


def _transport(r: random.Random, domains: list[str]) -> Json:
    name = domains[-1].split(".")[0]
    return {
        "Name": "Transport Settings",
        "Identity": name,
        "SmtpClientAuthenticationDisabled": r.random() < 0.6,
        "MaxSendSize": "35 MB (36,700,160 bytes)",
        "MaxReceiveSize": "36 MB (37,748,736 bytes)",
    }


def _external_tagging(r: random.Random) -> Json:
    return {"Identity": "ExternalInOutlook", "Enabled": r.random() < 0.5, "AllowList": []}


def _sharing(r: random.Random) -> list[Json]:
    detail = r.random() < 0.3
    calendar = "CalendarSharingFreeBusyDetail" if detail else "CalendarSharingFreeBusySimple"
    rights = [calendar] + (["ContactsSharing"] if r.random() < 0.2 else [])
    return [
        {
            "Name": "Default Sharing Policy",
            "Identity": "Default Sharing Policy",
            "Default": True,
            "Enabled": r.random() < 0.7,
            "Domains": ["Anonymous:CalendarSharingFreeBusyReviewer", f"*:{','.join(rights)}"],
        }
    ]


def _malware(r: random.Random) -> Json:
    return {
        "Name": "Default",
        "Identity": "Default",
        "IsDefault": True,
        "EnableFileFilter": r.random() < 0.7,
        "FileTypes": COMMON_FILE_TYPES,
        "FileTypeAction": "Reject",
        "ZapEnabled": r.random() < 0.9,
        "EnableInternalSenderAdminNotifications": r.random() < 0.3,
        "InternalSenderAdminAddress": None,
    }


def _spam(r: random.Random) -> Json:
    return {
        "Name": "Default",
        "Identity": "Default",
        "IsDefault": True,
        "SpamZapEnabled": r.random() < 0.9,
        "PhishZapEnabled": r.random() < 0.9,
        "HighConfidencePhishAction": "Quarantine",
        "AllowedSenderDomains": ["newsletter-vendor.example"] if r.random() < 0.2 else [],
        "AllowedSenders": [],
    }


def _connection(r: random.Random) -> Json:
    return {
        "Name": "Default",
        "Identity": "Default",
        "IsDefault": True,
        "IPAllowList": ["203.0.113.25"] if r.random() < 0.2 else [],
        "IPBlockList": [],
        "EnableSafeList": r.random() < 0.1,
    }


def _preset_rules(domains: list[str], applied: bool, *, atp: bool) -> list[Json]:
    rules = []
    for n, name in enumerate((STANDARD_PRESET, STRICT_PRESET)):
        on = applied and name == STANDARD_PRESET
        rule: Json = {
            "Name": name,
            "Identity": name,
            "State": "Enabled" if on else "Disabled",
            "Priority": n,
            "SentTo": None,
            "SentToMemberOf": None,
            "RecipientDomainIs": [domains[0]] if on else None,
            "ExceptIfSentTo": None,
        }
        if atp:
            rule |= {
                "SafeAttachmentPolicy": f"{name}1",
                "SafeLinksPolicy": f"{name}2",
                "AntiPhishPolicy": f"{name}3",
            }
        else:
            rule |= {
                "HostedContentFilterPolicy": f"{name}4",
                "AntiPhishPolicy": f"{name}5",
                "MalwareFilterPolicy": f"{name}6",
            }
        rules.append(rule)
    return rules
