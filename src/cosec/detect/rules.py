"""What a detection rule is, what it reads, and what it produces.

A rule is metadata plus a pure `evaluate(DetectionInput) -> list[Hit]`. A hit is one
ongoing condition (say "mail of user X forwarded to evil.example") identified by a
fingerprint; several events of the same condition fold into one hit, and one hit becomes
(or updates) one alert. Rules whose streams or resources were not collected are not run
and are reported as skipped with the missing data named.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cosec.config import Severity
from cosec.model.events import (
    Alert,
    DirectoryAudit,
    MessageRule,
    MessageRuleChange,
    RiskDetection,
    SignIn,
)
from cosec.model.governance import ControlArea

_VERSION = re.compile(r"v\d+$")


@dataclass(frozen=True)
class ChangeWindow:
    """An approved change: the objects it may touch and when (from the change register)."""

    id: str
    object_ids: frozenset[str]
    starts_at: datetime
    ends_at: datetime

    def covers(self, object_id: str | None, at: datetime | None) -> bool:
        if object_id is None or at is None:
            return False
        return object_id in self.object_ids and self.starts_at <= at <= self.ends_at


@dataclass(frozen=True)
class DriftItem:
    """An open drift record: a configuration change no approved change covers."""

    id: str
    object_key: str  # resource/object id
    description: str
    detected_at: datetime
    acted_at: datetime | None
    actor: str | None


@dataclass(frozen=True)
class EventSet:
    sign_ins: Sequence[SignIn] = ()
    directory_audits: Sequence[DirectoryAudit] = ()
    risk_detections: Sequence[RiskDetection] = ()
    alerts: Sequence[Alert] = ()
    rule_changes: Sequence[MessageRuleChange] = ()


@dataclass(frozen=True)
class DetectionInput:
    """Everything rules may read. `events` are new since the last run; `history` is the
    look-back (for baselines such as a user's usual countries), never alerted on itself.

    Snapshot-derived fields are None when not collected (the rules needing them skip).
    """

    tenant: str
    now: datetime
    events: EventSet
    history: EventSet = EventSet()
    streams: frozenset[str] = frozenset()  # stream keys collected for this window
    internal_domains: frozenset[str] = frozenset()
    mailboxes: Sequence[Mapping[str, object]] | None = None  # Exchange Get-Mailbox output
    message_rules: Mapping[str, Sequence[MessageRule]] | None = None  # by user id
    risky_users: Sequence[Mapping[str, object]] | None = None
    user_principal_names: Mapping[str, str] = field(default_factory=dict)  # id → UPN
    approved_changes: Sequence[ChangeWindow] = ()
    observed_at: datetime | None = None  # when the snapshot was taken
    drift: Sequence[DriftItem] | None = None  # open drift records (None: no baseline)

    def resources(self) -> frozenset[str]:
        present = {
            "mailboxes": self.mailboxes,
            "messageRules": self.message_rules,
            "riskyUsers": self.risky_users,
            "drift": self.drift,
        }
        return frozenset(k for k, v in present.items() if v is not None)

    def upn(self, user_id: str | None, fallback: str | None = None) -> str:
        if fallback:
            return fallback
        if user_id is None:
            return "?"
        return self.user_principal_names.get(user_id, user_id)


@dataclass(frozen=True)
class Evidence:
    """One raw object behind a hit: where it came from and its id."""

    source: str  # a stream key or resource key
    id: str
    at: datetime | None
    summary: str


@dataclass(frozen=True)
class Hit:
    rule_id: str
    severity: Severity
    title: str
    area: ControlArea
    fingerprint: str
    subject: str  # the object the condition is about: a UPN, device id, policy id
    first_seen_at: datetime
    last_seen_at: datetime
    evidence: tuple[Evidence, ...]
    details: Mapping[str, str] = field(default_factory=dict)


def fingerprint(rule_base_id: str, *parts: str) -> str:
    """Content address of a condition: rule (without version) plus what identifies it."""
    text = "\x1f".join((rule_base_id, *(p.lower() for p in parts)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Rule:
    id: str  # versioned, e.g. DET-FWD-001v1
    title: str
    severity: Severity
    area: ControlArea
    csf: tuple[str, ...]
    streams: tuple[str, ...]
    evaluate: Callable[[DetectionInput], list[Hit]] = field(repr=False, compare=False)
    # Snapshot resources used when present. A rule with no required stream runs when any
    # of these (or a stream of the same name) was collected.
    resources: tuple[str, ...] = ()
    description: str = ""

    @property
    def base_id(self) -> str:
        return _VERSION.sub("", self.id)

    def missing(self, data: DetectionInput) -> list[str]:
        """Required streams not collected; with no stream at all, the resources count."""
        missing = [s for s in self.streams if s not in data.streams]
        if not self.streams:
            have = data.resources() | data.streams
            if not any(r in have for r in self.resources):
                missing = list(self.resources)
        return missing


class HitBuilder:
    """Folds events of the same condition into one hit per fingerprint."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self._hits: dict[str, Hit] = {}

    def add(
        self,
        key: Iterable[str],
        *,
        subject: str,
        evidence: Evidence,
        at: datetime,
        severity: Severity | None = None,
        details: Mapping[str, str] | None = None,
    ) -> None:
        fp = fingerprint(self.rule.base_id, *key)
        old = self._hits.get(fp)
        if old is None:
            self._hits[fp] = Hit(
                rule_id=self.rule.id,
                severity=severity or self.rule.severity,
                title=self.rule.title,
                area=self.rule.area,
                fingerprint=fp,
                subject=subject,
                first_seen_at=at,
                last_seen_at=at,
                evidence=(evidence,),
                details=dict(details or {}),
            )
            return
        known = {(e.source, e.id) for e in old.evidence}
        more = () if (evidence.source, evidence.id) in known else (evidence,)
        self._hits[fp] = Hit(
            rule_id=old.rule_id,
            severity=_max_severity(old.severity, severity or old.severity),
            title=old.title,
            area=old.area,
            fingerprint=fp,
            subject=old.subject,
            first_seen_at=min(old.first_seen_at, at),
            last_seen_at=max(old.last_seen_at, at),
            evidence=(*old.evidence, *more),
            details={**old.details, **(details or {})},
        )

    def hits(self) -> list[Hit]:
        return sorted(self._hits.values(), key=lambda h: (h.first_seen_at, h.fingerprint))


SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


def _max_severity(a: Severity, b: Severity) -> Severity:
    return a if SEVERITY_ORDER.index(a) >= SEVERITY_ORDER.index(b) else b


def email_domain(address: str) -> str:
    """Domain of an address, accepting Exchange's 'smtp:' prefix and display forms."""
    value = address.strip()
    if ":" in value and value.split(":", 1)[0].lower() in ("smtp", "sip"):
        value = value.split(":", 1)[1]
    value = value.strip("<> ")
    return value.rsplit("@", 1)[-1].lower() if "@" in value else ""


def is_external(address: str, internal_domains: frozenset[str]) -> bool:
    """True for an address outside the tenant's domains (unknown domains count as external)."""
    domain = email_domain(address)
    if not domain:
        return False
    internal = {d.lower() for d in internal_domains}
    return domain not in internal and not any(domain.endswith("." + d) for d in internal)
