"""Mailbox manipulation: forwarding outside the organisation, rules that hide mail."""

from __future__ import annotations

from cosec.config import Severity
from cosec.detect.rules import DetectionInput, Evidence, Hit, HitBuilder, Rule, is_external
from cosec.model.events import norm
from cosec.model.governance import ControlArea

_FORWARD_FIELDS = ("ForwardingSmtpAddress", "ForwardingAddress")


def _forwarding(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(FORWARDING)
    observed = data.observed_at or data.now
    for change in data.events.rule_changes:
        if change.change == "removed" or change.rule.enabled is False:
            continue
        user = data.upn(change.user_id, change.user_principal_name)
        at = change.observed_at or observed
        for address in change.rule.forward_to:
            if is_external(address, data.internal_domains):
                hits.add(
                    (user, address),
                    subject=user,
                    at=at,
                    evidence=Evidence(
                        "messageRuleChanges",
                        change.id,
                        at,
                        f"inbox rule {change.rule.display_name!r} forwards to {address}",
                    ),
                    details={"rule_id": change.rule.id, "address": address, "user": user},
                )
    for user_id, rules in (data.message_rules or {}).items():
        user = data.upn(user_id)
        for rule in rules:
            if rule.enabled is False:
                continue
            for address in rule.forward_to:
                if is_external(address, data.internal_domains):
                    hits.add(
                        (user, address),
                        subject=user,
                        at=observed,
                        evidence=Evidence(
                            "messageRules",
                            f"{user_id}/{rule.id}",
                            observed,
                            f"inbox rule {rule.display_name!r} forwards to {address}",
                        ),
                        details={"rule_id": rule.id, "address": address, "user": user},
                    )
    for mailbox in data.mailboxes or ():
        identity = str(
            mailbox.get("UserPrincipalName")
            or mailbox.get("PrimarySmtpAddress")
            or mailbox.get("Identity")
            or "?"
        )
        for name in _FORWARD_FIELDS:
            value = mailbox.get(name)
            if isinstance(value, str) and value and is_external(value, data.internal_domains):
                address = value.split(":", 1)[1] if value.lower().startswith("smtp:") else value
                hits.add(
                    (identity, address),
                    subject=identity,
                    at=observed,
                    evidence=Evidence(
                        "mailboxes", identity, observed, f"mailbox {name} is {value}"
                    ),
                    details={"mailbox": identity, "address": address, "user": identity},
                )
    return hits.hits()


FORWARDING = Rule(
    id="DET-FWD-001v1",
    title="Mail forwarded to an external domain",
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("DE.CM-03", "DE.AE-02"),
    streams=(),
    resources=("messageRuleChanges", "messageRules", "mailboxes"),
    evaluate=_forwarding,
    description=(
        "An enabled inbox rule (new or existing) or the mailbox's own forwarding setting "
        "sends mail to an address outside the tenant's domains, a classic step of "
        "business e-mail compromise."
    ),
)


def _hiding_rule(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(HIDING_RULE)
    for change in data.events.rule_changes:
        rule = change.rule
        if change.change != "added" or not rule.targets_sender:
            continue
        if not (rule.deletes or rule.move_to_folder):
            continue
        user = data.upn(change.user_id, change.user_principal_name)
        at = change.observed_at or data.now
        senders = ", ".join((*rule.from_addresses, *rule.sender_contains))
        what = "deletes" if rule.deletes else "moves"
        hits.add(
            (user, rule.id),
            subject=user,
            at=at,
            evidence=Evidence(
                "messageRuleChanges",
                change.id,
                at,
                f"new inbox rule {rule.display_name!r} {what} mail from {senders}",
            ),
            details={"rule_id": rule.id, "user": user, "senders": senders},
        )
    return hits.hits()


HIDING_RULE = Rule(
    id="DET-RULE-001v1",
    title="New inbox rule deletes or moves mail from a sender",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.CM-03", "DE.AE-02"),
    streams=("messageRuleChanges",),
    evaluate=_hiding_rule,
    description=(
        "Attackers in a mailbox hide replies from the people they impersonate or defraud "
        "with rules that delete or move mail from chosen senders."
    ),
)

USER_REPORTED_TITLE = "email reported by user as malware or phish"


def is_user_reported(title: str | None) -> bool:
    return norm(title) == USER_REPORTED_TITLE


def _reported_phish(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(REPORTED_PHISH)
    for alert in data.events.alerts:
        if not is_user_reported(alert.title):
            continue
        at = alert.occurred_at or data.now
        reporter = alert.user_principal_names[0] if alert.user_principal_names else "?"
        hits.add(
            (alert.id,),
            subject=reporter,
            at=at,
            evidence=Evidence("alerts", alert.id, at, f"{alert.title} ({reporter})"),
            details={"user": reporter, "defender_alert": alert.id},
        )
    return hits.hits()


REPORTED_PHISH = Rule(
    id="DET-PHISH-001v1",
    title="User reported a phishing e-mail",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.AE-02", "DE.CM-03"),
    streams=("alerts",),
    evaluate=_reported_phish,
    description=(
        "Defender's default alert policy 'Email reported by user as malware or phish' "
        "raised an alert: a user's report is the fastest phishing sensor there is."
    ),
)

RULES = (FORWARDING, HIDING_RULE, REPORTED_PHISH)
