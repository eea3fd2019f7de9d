"""Security records: Identity Protection risky users, Secure Score, inbox rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from cosec.model.parse import JsonObject, Reader

RISK_LEVELS = ("low", "medium", "high", "hidden", "none", "unknownFutureValue")
RISK_STATES = (
    "none",
    "confirmedSafe",
    "remediated",
    "dismissed",
    "atRisk",
    "confirmedCompromised",
    "unknownFutureValue",
)


@dataclass(frozen=True, slots=True)
class RiskyUser:
    id: str
    upn: str
    display_name: str
    risk_level: str
    risk_state: str
    last_updated: datetime | None
    deleted: bool | None
    quirks: tuple[str, ...] = ()

    @property
    def open(self) -> bool:
        return self.risk_state in ("atRisk", "confirmedCompromised")


def parse_risky_user(raw: JsonObject) -> RiskyUser:
    r = Reader(raw)
    return RiskyUser(
        id=r.text("id"),
        upn=r.text("userPrincipalName"),
        display_name=r.text("userDisplayName"),
        risk_level=r.enum("riskLevel", RISK_LEVELS, default="none"),
        risk_state=r.enum("riskState", RISK_STATES, default="none"),
        last_updated=r.timestamp("riskLastUpdatedDateTime"),
        deleted=r.flag("isDeleted"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class SecureScore:
    id: str
    created: datetime | None
    current: float | None
    max: float | None
    quirks: tuple[str, ...] = ()


def parse_secure_score(raw: JsonObject) -> SecureScore:
    r = Reader(raw)
    return SecureScore(
        id=r.text("id"),
        created=r.timestamp("createdDateTime"),
        current=r.number("currentScore"),
        max=r.number("maxScore"),
        quirks=r.done(),
    )


class MessageRule(NamedTuple):
    id: str
    user_id: str
    display_name: str
    enabled: bool | None
    forward_to: tuple[str, ...]  # addresses from forwardTo, forwardAsAttachmentTo, redirectTo
    deletes: bool
    quirks: tuple[str, ...] = ()


def _addresses(recipients: list[JsonObject]) -> list[str]:
    out = []
    for rec in recipients:
        email = rec.get("emailAddress")
        if isinstance(email, dict) and isinstance(email.get("address"), str):
            out.append(email["address"])
    return out


def parse_message_rule(raw: JsonObject, user_id: str) -> MessageRule:
    r = Reader(raw)
    actions = r.child("actions")
    targets = (
        _addresses(actions.objects("forwardTo"))
        + _addresses(actions.objects("forwardAsAttachmentTo"))
        + _addresses(actions.objects("redirectTo"))
    )
    return MessageRule(
        id=r.text("id"),
        user_id=user_id,
        display_name=r.text("displayName"),
        enabled=r.flag("isEnabled"),
        forward_to=tuple(targets),
        deletes=bool(actions.flag("delete", False) or actions.flag("permanentDelete", False)),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class SecureScoreControlProfile:
    id: str
    title: str
    service: str
    max_score: float | None
    deprecated: bool | None
    quirks: tuple[str, ...] = ()


def parse_control_profile(raw: JsonObject) -> SecureScoreControlProfile:
    r = Reader(raw)
    return SecureScoreControlProfile(
        id=r.text("id"),
        title=r.text("title"),
        service=r.text("service"),
        max_score=r.number("maxScore"),
        deprecated=r.flag("deprecated"),
        quirks=r.done(),
    )
