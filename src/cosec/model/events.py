"""Typed event records parsed from raw Graph / Defender JSON.

Parsers never raise on odd input: real tenants and Microsoft's own documentation send
placeholders ("String"), unexpected enum spellings ("TruePositive" vs "truePositive") and
invalid values. Each record keeps `raw` verbatim and lists what it could not interpret in
`oddities` (field name and the value seen), so detection logic works on clean types while
nothing is silently lost. Enum-like values are compared case-insensitively through
`norm()`, which lowercases; the original spelling stays in `raw`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]


class _Reader:
    """Reads typed values from one raw object, collecting what did not fit."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw if isinstance(raw, Mapping) else {}
        self.oddities: list[str] = []
        if not isinstance(raw, Mapping):
            self.oddities.append(f"(record): not an object: {raw!r:.80}")

    def odd(self, name: str, value: Any) -> None:
        self.oddities.append(f"{name}: {value!r:.80}")

    def obj(self, name: str, source: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        value = (self.raw if source is None else source).get(name)
        if value is None:
            return {}
        if isinstance(value, Mapping):
            return value
        self.odd(name, value)
        return {}

    def str_(self, name: str, source: Mapping[str, Any] | None = None) -> str | None:
        value = (self.raw if source is None else source).get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.odd(name, value)
        return None

    def bool_(self, name: str, source: Mapping[str, Any] | None = None) -> bool | None:
        value = (self.raw if source is None else source).get(name)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        self.odd(name, value)
        return None

    def int_(self, name: str, source: Mapping[str, Any] | None = None) -> int | None:
        value = (self.raw if source is None else source).get(name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                pass
        self.odd(name, value)
        return None

    def dt(self, name: str, source: Mapping[str, Any] | None = None) -> datetime | None:
        value = (self.raw if source is None else source).get(name)
        if value is None:
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            self.odd(name, value)
        return parsed

    def strs(self, name: str, source: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        value = (self.raw if source is None else source).get(name)
        if value is None:
            return ()
        if isinstance(value, list):
            out = tuple(v for v in value if isinstance(v, str))
            if len(out) != len(value):
                self.odd(name, value)
            return out
        self.odd(name, value)
        return ()

    def objs(self, name: str, source: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]]:
        value = (self.raw if source is None else source).get(name)
        if value is None:
            return []
        if isinstance(value, list):
            out = [v for v in value if isinstance(v, Mapping)]
            if len(out) != len(value):
                self.odd(name, value)
            return out
        self.odd(name, value)
        return []


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 with up to 7 fractional digits (Graph's style) → aware UTC, else None."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "." in text:
        head, _, rest = text.partition(".")
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        text = f"{head}.{digits[:6].ljust(6, '0')}{rest}" if digits else head + rest
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def norm(value: str | None) -> str:
    """Case-insensitive form of an enum-like value ('' for None)."""
    return (value or "").strip().lower()


# --- sign-ins --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    id: str
    created_at: datetime | None
    user_id: str | None
    user_principal_name: str | None
    app_display_name: str | None
    ip_address: str | None
    client_app_used: str | None
    country: str | None
    city: str | None
    latitude: float | None
    longitude: float | None
    error_code: int | None
    risk_level_during_sign_in: str | None
    risk_level_aggregated: str | None
    risk_state: str | None
    risk_event_types: tuple[str, ...]
    is_interactive: bool | None
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.error_code == 0

    @property
    def legacy_auth(self) -> bool:
        """Basic/legacy authentication clients (no modern auth, so no MFA)."""
        return norm(self.client_app_used) in LEGACY_CLIENT_APPS


# clientAppUsed values Microsoft documents for legacy authentication protocols.
LEGACY_CLIENT_APPS = frozenset(
    {
        "authenticated smtp",
        "autodiscover",
        "exchange activesync",
        "exchange online powershell",
        "exchange web services",
        "imap4",
        "imap",
        "mapi over http",
        "offline address book",
        "other clients",
        "outlook anywhere (rpc over http)",
        "pop3",
        "pop",
        "reporting web services",
        "universal outlook",
    }
)


def _float(r: _Reader, name: str, source: Mapping[str, Any]) -> float | None:
    value = source.get(name)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    r.odd(name, value)
    return None


def parse_sign_in(raw: JsonObject) -> SignIn:
    r = _Reader(raw)
    status = r.obj("status")
    location = r.obj("location")
    geo = r.obj("geoCoordinates", location)
    return SignIn(
        id=r.str_("id") or "",
        created_at=r.dt("createdDateTime"),
        user_id=r.str_("userId"),
        user_principal_name=r.str_("userPrincipalName"),
        app_display_name=r.str_("appDisplayName"),
        ip_address=r.str_("ipAddress"),
        client_app_used=r.str_("clientAppUsed"),
        country=r.str_("countryOrRegion", location) or None,
        city=r.str_("city", location) or None,
        latitude=_float(r, "latitude", geo),
        longitude=_float(r, "longitude", geo),
        error_code=r.int_("errorCode", status),
        risk_level_during_sign_in=r.str_("riskLevelDuringSignIn"),
        risk_level_aggregated=r.str_("riskLevelAggregated"),
        risk_state=r.str_("riskState"),
        risk_event_types=r.strs("riskEventTypes"),
        is_interactive=r.bool_("isInteractive"),
        raw=dict(r.raw),
        oddities=tuple(r.oddities),
    )


# --- directory audits ------------------------------------------------------------------


@dataclass(frozen=True)
class ModifiedProperty:
    name: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True)
class AuditTarget:
    id: str | None
    display_name: str | None
    type: str | None
    user_principal_name: str | None
    modified: tuple[ModifiedProperty, ...]

    def new_value(self, name: str) -> str | None:
        for prop in self.modified:
            if norm(prop.name) == norm(name):
                return prop.new_value
        return None


@dataclass(frozen=True)
class DirectoryAudit:
    id: str
    activity_at: datetime | None
    category: str | None
    activity: str | None
    result: str | None
    logged_by_service: str | None
    initiated_by_user_id: str | None
    initiated_by_upn: str | None
    initiated_by_app: str | None
    targets: tuple[AuditTarget, ...]
    additional_details: dict[str, str]
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()

    @property
    def initiator(self) -> str:
        return self.initiated_by_upn or self.initiated_by_app or self.initiated_by_user_id or "?"

    @property
    def succeeded(self) -> bool:
        return norm(self.result) == "success"


def _modified_value(name: str, source: Mapping[str, Any]) -> str | None:
    """Audit old/new values are JSON-encoded strings; other shapes are stringified."""
    value = source.get(name)
    if value is None or isinstance(value, str):
        return value
    return str(value)


def parse_directory_audit(raw: JsonObject) -> DirectoryAudit:
    r = _Reader(raw)
    initiated = r.obj("initiatedBy")
    user = r.obj("user", initiated)
    app = r.obj("app", initiated)
    targets: list[AuditTarget] = []
    for t in r.objs("targetResources"):
        # The documentation spells the key both "type" and "Type".
        kind = t.get("type", t.get("Type"))
        targets.append(
            AuditTarget(
                id=r.str_("id", t),
                display_name=r.str_("displayName", t),
                type=kind if isinstance(kind, str) else None,
                user_principal_name=r.str_("userPrincipalName", t),
                modified=tuple(
                    ModifiedProperty(
                        name=r.str_("displayName", p) or "",
                        old_value=_modified_value("oldValue", p),
                        new_value=_modified_value("newValue", p),
                    )
                    for p in r.objs("modifiedProperties", t)
                ),
            )
        )
    details: dict[str, str] = {}
    for d in r.objs("additionalDetails"):
        key, value = r.str_("key", d), r.str_("value", d)
        if key is not None:
            details[key] = value or ""
    return DirectoryAudit(
        id=r.str_("id") or "",
        activity_at=r.dt("activityDateTime"),
        category=r.str_("category"),
        activity=r.str_("activityDisplayName"),
        result=r.str_("result"),
        logged_by_service=r.str_("loggedByService"),
        initiated_by_user_id=r.str_("id", user),
        initiated_by_upn=r.str_("userPrincipalName", user),
        initiated_by_app=r.str_("displayName", app),
        targets=tuple(targets),
        additional_details=details,
        raw=dict(r.raw),
        oddities=tuple(r.oddities),
    )


# --- risk detections -------------------------------------------------------------------


@dataclass(frozen=True)
class RiskDetection:
    id: str
    detected_at: datetime | None
    activity_at: datetime | None
    risk_event_type: str | None
    risk_level: str | None
    risk_state: str | None
    activity: str | None
    user_id: str | None
    user_principal_name: str | None
    ip_address: str | None
    country: str | None
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()


def parse_risk_detection(raw: JsonObject) -> RiskDetection:
    r = _Reader(raw)
    location = r.obj("location")
    return RiskDetection(
        id=r.str_("id") or "",
        detected_at=r.dt("detectedDateTime"),
        activity_at=r.dt("activityDateTime"),
        risk_event_type=r.str_("riskEventType"),
        risk_level=r.str_("riskLevel"),
        risk_state=r.str_("riskState"),
        activity=r.str_("activity"),
        user_id=r.str_("userId"),
        user_principal_name=r.str_("userPrincipalName"),
        ip_address=r.str_("ipAddress"),
        country=r.str_("countryOrRegion", location) or None,
        raw=dict(r.raw),
        oddities=tuple(r.oddities),
    )


# --- Defender XDR alerts (alerts_v2) ---------------------------------------------------


@dataclass(frozen=True)
class Alert:
    id: str
    title: str | None
    severity: str | None
    status: str | None
    category: str | None
    service_source: str | None
    detection_source: str | None
    incident_id: str | None
    created_at: datetime | None
    last_update_at: datetime | None
    first_activity_at: datetime | None
    user_principal_names: tuple[str, ...]
    device_ids: tuple[str, ...]
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()

    @property
    def occurred_at(self) -> datetime | None:
        return self.first_activity_at or self.created_at


def parse_alert(raw: JsonObject) -> Alert:
    r = _Reader(raw)
    upns: list[str] = []
    devices: list[str] = []
    for ev in r.objs("evidence"):
        kind = norm(r.str_("@odata.type", ev))
        if kind.endswith(("useraccountevidence", "userevidence")):
            account = r.obj("userAccount", ev)
            upn = r.str_("userPrincipalName", account)
            if upn:
                upns.append(upn)
        elif kind.endswith("mailboxevidence"):
            upn = r.str_("primaryAddress", ev) or r.str_(
                "userPrincipalName", r.obj("userAccount", ev)
            )
            if upn:
                upns.append(upn)
        elif kind.endswith("analyzedmessageevidence"):
            recipient = r.str_("recipientEmailAddress", ev)
            if recipient:
                upns.append(recipient)
        device = r.str_("mdeDeviceId", ev)
        if device:
            devices.append(device)
    return Alert(
        id=r.str_("id") or "",
        title=r.str_("title"),
        severity=r.str_("severity"),
        status=r.str_("status"),
        category=r.str_("category"),
        service_source=r.str_("serviceSource"),
        detection_source=r.str_("detectionSource"),
        incident_id=r.str_("incidentId"),
        created_at=r.dt("createdDateTime"),
        last_update_at=r.dt("lastUpdateDateTime"),
        first_activity_at=r.dt("firstActivityDateTime"),
        user_principal_names=tuple(dict.fromkeys(upns)),
        device_ids=tuple(dict.fromkeys(devices)),
        raw=dict(r.raw),
        oddities=tuple(r.oddities),
    )


# --- Defender XDR incidents ------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    id: str
    display_name: str | None
    severity: str | None
    status: str | None
    classification: str | None
    determination: str | None
    assigned_to: str | None
    created_at: datetime | None
    last_update_at: datetime | None
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()


def parse_incident(raw: JsonObject) -> Incident:
    r = _Reader(raw)
    return Incident(
        id=r.str_("id") or "",
        display_name=r.str_("displayName"),
        severity=r.str_("severity"),
        status=r.str_("status"),
        classification=r.str_("classification"),
        determination=r.str_("determination"),
        assigned_to=r.str_("assignedTo"),
        created_at=r.dt("createdDateTime"),
        last_update_at=r.dt("lastUpdateDateTime"),
        raw=dict(r.raw),
        oddities=tuple(r.oddities),
    )


# --- attack simulation users -----------------------------------------------------------


@dataclass(frozen=True)
class SimulationUser:
    """One user's result in one attack simulation (`userSimulationDetails`)."""

    simulation_id: str | None
    simulation_name: str | None
    user_id: str | None
    email: str | None
    display_name: str | None
    is_compromised: bool | None
    compromised_at: datetime | None
    reported_phish_at: datetime | None
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()


def parse_simulation_user(raw: JsonObject) -> SimulationUser:
    """Accepts a bare `userSimulationDetails` item or the collector's stored event
    (`{"simulation": {...}, "result": {...}}`), which adds the simulation's id and name."""
    outer = _Reader(raw)
    simulation = outer.obj("simulation") if "result" in outer.raw else {}
    r = _Reader(outer.obj("result")) if "result" in outer.raw else outer
    user = r.obj("simulationUser")
    return SimulationUser(
        simulation_id=outer.str_("id", simulation),
        simulation_name=outer.str_("displayName", simulation),
        user_id=r.str_("userId", user),
        email=r.str_("email", user),
        display_name=r.str_("displayName", user),
        is_compromised=r.bool_("isCompromised"),
        compromised_at=r.dt("compromisedDateTime"),
        reported_phish_at=r.dt("reportedPhishDateTime"),
        raw=dict(outer.raw),
        oddities=(*outer.oddities, *(r.oddities if r is not outer else ())),
    )


# --- inbox rules and their changes -----------------------------------------------------


@dataclass(frozen=True)
class MessageRule:
    id: str
    display_name: str | None
    enabled: bool | None
    forward_to: tuple[str, ...]  # forwardTo, forwardAsAttachmentTo and redirectTo addresses
    deletes: bool
    move_to_folder: str | None
    from_addresses: tuple[str, ...]
    sender_contains: tuple[str, ...]
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()

    @property
    def targets_sender(self) -> bool:
        return bool(self.from_addresses or self.sender_contains)


def _addresses(r: _Reader, name: str, source: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for recipient in r.objs(name, source):
        address = r.str_("address", r.obj("emailAddress", recipient))
        if address:
            out.append(address)
    return out


def parse_message_rule(raw: JsonObject) -> MessageRule:
    r = _Reader(raw)
    actions = r.obj("actions")
    conditions = r.obj("conditions")
    forward = [
        *_addresses(r, "forwardTo", actions),
        *_addresses(r, "forwardAsAttachmentTo", actions),
        *_addresses(r, "redirectTo", actions),
    ]
    return MessageRule(
        id=r.str_("id") or "",
        display_name=r.str_("displayName"),
        enabled=r.bool_("isEnabled"),
        forward_to=tuple(dict.fromkeys(forward)),
        deletes=bool(r.bool_("delete", actions) or r.bool_("permanentDelete", actions)),
        move_to_folder=r.str_("moveToFolder", actions),
        from_addresses=tuple(_addresses(r, "fromAddresses", conditions)),
        sender_contains=r.strs("senderContains", conditions),
        raw=dict(r.raw),
        oddities=tuple(r.oddities),
    )


@dataclass(frozen=True)
class MessageRuleChange:
    """An inbox rule that appeared (or disappeared) between two collections."""

    id: str
    observed_at: datetime | None
    change: str  # added | removed | changed (as the collector wrote it)
    user_id: str | None
    user_principal_name: str | None
    rule: MessageRule
    raw: JsonObject = field(repr=False)
    oddities: tuple[str, ...] = ()


def parse_message_rule_change(raw: JsonObject) -> MessageRuleChange:
    r = _Reader(raw)
    rule_raw = r.obj("rule")
    rule = parse_message_rule(dict(rule_raw))
    change = r.str_("changeType") or r.str_("change") or ""
    return MessageRuleChange(
        id=r.str_("id") or rule.id,
        observed_at=r.dt("observedDateTime"),
        change=norm(change),
        user_id=r.str_("userId"),
        user_principal_name=r.str_("userPrincipalName"),
        rule=rule,
        raw=dict(r.raw),
        oddities=(*r.oddities, *rule.oddities),
    )


# --- by stream key ---------------------------------------------------------------------

Event = (
    SignIn | DirectoryAudit | RiskDetection | Alert | Incident | SimulationUser | MessageRuleChange
)

PARSERS: dict[str, Callable[[JsonObject], Event]] = {
    "signIns": parse_sign_in,
    "directoryAudits": parse_directory_audit,
    "riskDetections": parse_risk_detection,
    "alerts": parse_alert,
    "incidents": parse_incident,
    "attackSimulationResults": parse_simulation_user,
    "messageRuleChanges": parse_message_rule_change,
}


def parse_event(stream: str, raw: JsonObject) -> Event:
    """Parse one raw event of a stream key from `cosec.model.resources.STREAMS`."""
    try:
        parser = PARSERS[stream]
    except KeyError:
        raise ValueError(f"no parser for stream {stream!r}") from None
    return parser(raw)
