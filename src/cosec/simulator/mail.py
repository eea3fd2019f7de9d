"""Exchange Online: mailboxes, inbox rules and the protection policies (cmdlet output).

Inbox rules live once, as Graph messageRule objects; `Get-InboxRule` renders the same
rules the way Exchange PowerShell does.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cosec.simulator.history import Collection, Json
from cosec.simulator.people import MEMBER, SERVICE, SHARED, People, Person
from cosec.simulator.seeding import at, guid, iso, rng

FOLDER_ID_PREFIX = "AAMkAGVmMDEz"  # generated folder ids: this prefix + the folder name
EXTERNAL_DOMAINS = ("gmail-mail.example", "outlook-mail.example", "protonmail.example")


@dataclass
class Mail:
    mailboxes: Collection  # Get-Mailbox objects by user id
    rules: Collection  # Graph messageRule objects by rule id
    rule_owner: dict[str, str]  # rule id -> user id
    policies: dict[str, Collection]  # cmdlet -> objects by Identity


def rule_id(r: random.Random) -> str:
    return base64.b64encode(r.getrandbits(64).to_bytes(8, "big")).decode()


def make_mail(
    seed: int,
    people: People,
    domains: list[str],
    first_day: date,
    last_day: date,
    mdo: bool,
) -> Mail:
    r = rng(seed, "mail")
    mailboxes = Collection()
    rules = Collection()
    owner: dict[str, str] = {}
    window = max(1, (last_day - first_day).days)
    for p in people.persons:
        if p.kind not in (MEMBER, SHARED, SERVICE):
            continue
        forward = p.kind == MEMBER and r.random() < 0.01
        mailboxes.add(p.id, p.created, mailbox_json(r, p, forward, audit=r.random() > 0.02))
        if p.deleted_on is not None:
            mailboxes.remove(p.id, at(p.deleted_on, 10))
        if p.kind != MEMBER:
            continue
        made: list[tuple[str, datetime, Json]] = []
        for _ in range(r.choices((0, 1, 2, 3), (0.55, 0.3, 0.1, 0.05))[0]):
            rid = rule_id(r)
            created = at(first_day - timedelta(days=r.randint(0, 400)), 12)
            if r.random() < 0.1:
                created = at(first_day + timedelta(days=r.randint(0, window)), r.randint(8, 18))
            made.append((rid, created, _ordinary_rule(r, rid)))
        if r.random() < 0.008:  # a quiet auto-forward to a private address
            rid = rule_id(r)
            rule = forwarding_rule(rid, p, r, redirect=r.random() < 0.5)
            made.append((rid, p.created + timedelta(days=30), rule))
        for sequence, (rid, created, rule) in enumerate(made, start=1):
            owner[rid] = p.id
            rules.add(rid, max(created, p.created), {**rule, "sequence": sequence})
            if p.deleted_on is not None:
                rules.remove(rid, at(p.deleted_on, 10))
    return Mail(mailboxes, rules, owner, _policies(r, people, domains, first_day, mdo))


def mailbox_json(r: random.Random, p: Person, forward: bool, *, audit: bool) -> Json:
    alias = p.upn.split("@")[0]
    return {
        "Name": alias,
        "Alias": alias,
        "DisplayName": p.display,
        "Identity": alias,
        "Guid": guid(r),
        "ExternalDirectoryObjectId": p.id,
        "UserPrincipalName": p.upn,
        "PrimarySmtpAddress": p.upn,
        "RecipientTypeDetails": "SharedMailbox" if p.kind == SHARED else "UserMailbox",
        "ForwardingSmtpAddress": f"smtp:{alias}@{r.choice(EXTERNAL_DOMAINS)}" if forward else None,
        "ForwardingAddress": None,
        "DeliverToMailboxAndForward": forward,
        "AuditEnabled": audit,
        "WhenCreated": iso(p.created),
    }


def _ordinary_rule(r: random.Random, rid: str) -> Json:
    kind = r.choice(("newsletters", "vendor", "junk", "team"))
    conditions: Json
    actions: Json
    if kind == "newsletters":
        name, conditions = "Newsletters", {"subjectContains": ["newsletter"]}
        actions = {"moveToFolder": f"{FOLDER_ID_PREFIX}Newsletters", "stopProcessingRules": True}
    elif kind == "vendor":
        name, conditions = "Vendor invoices", {"senderContains": ["billing"]}
        actions = {
            "moveToFolder": f"{FOLDER_ID_PREFIX}Invoices",
            "markAsRead": False,
            "stopProcessingRules": False,
        }
    elif kind == "junk":
        name, conditions = "Remove promotions", {"subjectContains": ["win a prize"]}
        actions = {"delete": True, "stopProcessingRules": True}
    else:
        name, conditions = "Team updates", {"sentToMe": True, "subjectContains": ["weekly update"]}
        actions = {"markImportance": "high", "stopProcessingRules": False}
    return _rule(rid, name, 1, conditions, actions)


def _rule(rid: str, name: str, sequence: int, conditions: Json, actions: Json) -> Json:
    return {
        "id": rid,
        "displayName": name,
        "sequence": sequence,
        "isEnabled": True,
        "hasError": False,
        "isReadOnly": False,
        "conditions": conditions,
        "actions": actions,
    }


def forwarding_rule(rid: str, p: Person, r: random.Random, *, redirect: bool = False) -> Json:
    alias = p.upn.split("@")[0]
    target = [
        {"emailAddress": {"name": p.display, "address": f"{alias}@{r.choice(EXTERNAL_DOMAINS)}"}}
    ]
    actions: Json = {
        "stopProcessingRules": False,
        ("redirectTo" if redirect else "forwardTo"): target,
    }
    return _rule(rid, "Forward", 2, {}, actions)


def inbox_rule_cmdlet(rule: Json, owner_upn: str, index: int) -> Json:
    """A Graph messageRule rendered as Get-InboxRule output."""
    actions = rule.get("actions") or {}
    conditions = rule.get("conditions") or {}

    def recipients(key: str) -> list[str] | None:
        values = actions.get(key)
        if not values:
            return None
        return [
            f'"{v["emailAddress"]["name"]}" [SMTP:{v["emailAddress"]["address"]}]' for v in values
        ]

    return {
        "Name": rule["displayName"],
        "Identity": f"{owner_upn}\\{index}",
        "RuleIdentity": str(index),
        "MailboxOwnerId": owner_upn,
        "Enabled": rule["isEnabled"],
        "Priority": rule["sequence"],
        "ForwardTo": recipients("forwardTo"),
        "RedirectTo": recipients("redirectTo"),
        "ForwardAsAttachmentTo": recipients("forwardAsAttachmentTo"),
        "MoveToFolder": _folder_name(actions.get("moveToFolder")),
        "DeleteMessage": bool(actions.get("delete")),
        "MarkAsRead": bool(actions.get("markAsRead")),
        "StopProcessingRules": bool(actions.get("stopProcessingRules")),
        "SubjectContainsWords": conditions.get("subjectContains"),
        "From": conditions.get("fromAddresses"),
        "Description": f"Rule {rule['displayName']}",
    }


def _folder_name(folder_id: object) -> str | None:
    """Exchange shows the folder's name where Graph shows its id ('AAMk' + name here)."""
    return str(folder_id).removeprefix(FOLDER_ID_PREFIX) if folder_id else None


def _policies(
    r: random.Random,
    people: People,
    domains: list[str],
    first_day: date,
    mdo: bool,
) -> dict[str, Collection]:
    created = at(first_day - timedelta(days=600), 10)
    changed = iso(created)
    out: dict[str, Collection] = {}

    def put(cmdlet: str, objects: list[Json]) -> None:
        coll = out.setdefault(cmdlet, Collection())
        for obj in objects:
            coll.add(obj["Identity"], created, obj)

    default_phish = _anti_phish("Office365 AntiPhish Default", True, changed, [])
    phish = [default_phish]
    phish_rules: list[Json] = []
    if mdo:
        vips = [
            p
            for p in people.persons
            if p.kind == MEMBER and p.department in ("Executive", "Finance")
        ]
        covered = [p for p in vips if r.random() < 0.8]
        targeted = [f"{p.display};{p.upn}" for p in covered]
        phish.append(_anti_phish("Executive protection", False, changed, targeted))
        phish_rules.append(
            {
                "Name": "Executive protection",
                "Identity": "Executive protection",
                "AntiPhishPolicy": "Executive protection",
                "State": "Enabled",
                "Priority": 0,
                "SentTo": None,
                "SentToMemberOf": ["Executives", "Finance Team"],
                "RecipientDomainIs": [domains[0]],
                "ExceptIfSentTo": None,
                "ExceptIfSentToMemberOf": None,
                "WhenChanged": changed,
            }
        )
    put("Get-AntiPhishPolicy", phish)
    put("Get-AntiPhishRule", phish_rules)
    put(
        "Get-HostedOutboundSpamFilterPolicy",
        [
            {
                "Name": "Default",
                "Identity": "Default",
                "IsDefault": True,
                "AutoForwardingMode": r.choices(("Automatic", "Off", "On"), (0.6, 0.3, 0.1))[0],
                "RecipientLimitExternalPerHour": 0,
                "RecipientLimitInternalPerHour": 0,
                "RecipientLimitPerDay": 0,
                "ActionWhenThresholdReached": "BlockUserForToday",
                "WhenChanged": changed,
            }
        ],
    )
    put("Get-SafeLinksPolicy", _safe_links(changed) if mdo else [])
    put("Get-SafeAttachmentPolicy", _safe_attachments(changed) if mdo else [])
    put(
        "Get-DkimSigningConfig",
        [
            {
                "Domain": d,
                "Identity": d,
                "Name": d,
                "Enabled": d.endswith(".onmicrosoft.com") or r.random() < 0.7,
                "Status": "Valid",
                "Selector1CNAME": f"selector1-{d.replace('.', '-')}._domainkey.{domains[-1]}",
                "Selector2CNAME": f"selector2-{d.replace('.', '-')}._domainkey.{domains[-1]}",
                "WhenChanged": changed,
            }
            for d in domains
        ],
    )
    put(
        "Get-AdminAuditLogConfig",
        [
            {
                "Name": "Admin Audit Log Settings",
                "Identity": "Admin Audit Log Settings",
                "AdminAuditLogEnabled": True,
                "UnifiedAuditLogIngestionEnabled": r.random() < 0.9,
                "WhenChanged": changed,
            }
        ],
    )
    put(
        "Get-OrganizationConfig",
        [
            {
                "Name": domains[-1].split(".")[0],
                "Identity": domains[-1].split(".")[0],
                "DisplayName": domains[-1].split(".")[0].capitalize(),
                "AuditDisabled": r.random() < 0.1,
                "OAuth2ClientProfileEnabled": True,
                "MailTipsAllTipsEnabled": True,
                "MailTipsExternalRecipientsTipsEnabled": False,
                "MailTipsGroupMetricsEnabled": True,
                "MailTipsLargeAudienceThreshold": 25,
                "WhenChanged": changed,
            }
        ],
    )
    return out


def _anti_phish(name: str, default: bool, changed: str, targeted: list[str]) -> Json:
    return {
        "Name": name,
        "Identity": name,
        "IsDefault": default,
        "Enabled": True,
        "EnableTargetedUserProtection": bool(targeted),
        "TargetedUsersToProtect": targeted or None,
        "TargetedUserProtectionAction": "Quarantine" if targeted else "NoAction",
        "EnableOrganizationDomainsProtection": not default,
        "EnableTargetedDomainsProtection": False,
        "EnableMailboxIntelligence": True,
        "EnableMailboxIntelligenceProtection": not default,
        "EnableSpoofIntelligence": True,
        "PhishThresholdLevel": 1 if default else 2,
        "ExcludedSenders": [],
        "ExcludedDomains": [],
        "WhenChanged": changed,
    }


def _safe_links(changed: str) -> list[Json]:
    return [
        {
            "Name": name,
            "Identity": name,
            "IsBuiltInProtection": builtin,
            "EnableSafeLinksForEmail": True,
            "EnableSafeLinksForTeams": True,
            "EnableSafeLinksForOffice": True,
            "TrackClicks": True,
            "AllowClickThrough": False,
            "ScanUrls": True,
            "EnableForInternalSenders": not builtin,
            "DeliverMessageAfterScan": True,
            "WhenChanged": changed,
        }
        for name, builtin in (("Built-In Protection Policy", True), ("Standard Safe Links", False))
    ]


def _safe_attachments(changed: str) -> list[Json]:
    return [
        {
            "Name": name,
            "Identity": name,
            "IsBuiltInProtection": builtin,
            "Enable": True,
            "Action": "Block",
            "QuarantineTag": "AdminOnlyAccessPolicy",
            "Redirect": False,
            "WhenChanged": changed,
        }
        for name, builtin in (
            ("Built-In Protection Policy", True),
            ("Standard Safe Attachments", False),
        )
    ]


def forward_patch(address: str | None) -> Json:
    return {
        "ForwardingSmtpAddress": f"smtp:{address}" if address else None,
        "DeliverToMailboxAndForward": bool(address),
    }
