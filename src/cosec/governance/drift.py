"""Semantic configuration diff: baseline objects against a snapshot's, per object id.

Only tracked configuration counts (Conditional Access, named locations, authentication
methods, security defaults, authorization policy, privileged role assignments,
anti-phishing and outbound spam policies, Intune compliance). Volatile fields that change
without anyone changing the configuration (modification stamps, OData annotations,
version counters) are dropped before comparing. Lists compare as sets, because the
services return them in no guaranteed order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cosec.model.snapshot import JsonObject

TRACKED: dict[str, str] = {
    "conditionalAccessPolicies": "Conditional Access policy",
    "namedLocations": "named location",
    "authenticationMethodsPolicy": "authentication methods policy",
    "securityDefaults": "security defaults",
    "authorizationPolicy": "authorization policy",
    "roleAssignments": "privileged role assignment",
    "antiPhishPolicies": "anti-phishing policy",
    "antiPhishRules": "anti-phishing rule",
    "outboundSpamPolicies": "outbound spam policy",
    "deviceCompliancePolicies": "Intune compliance policy",
}

VOLATILE = frozenset(
    {
        "modifiedDateTime",
        "lastModifiedDateTime",
        "createdDateTime",
        "version",
        "WhenChanged",
        "WhenChangedUTC",
        "WhenCreated",
        "WhenCreatedUTC",
        "RunspaceId",
        "ExchangeVersion",
        "LastModifiedTime",
        "OrganizationId",
        "ObjectState",
        "IsValid",
    }
)

_ID_FIELDS = ("id", "Guid", "Identity", "Name")
_NAME_FIELDS = ("displayName", "Name", "Identity")


def normalise(value: Any) -> Any:
    """Drop volatile fields and OData annotations, recursively."""
    if isinstance(value, dict):
        return {
            k: normalise(v)
            for k, v in value.items()
            if k not in VOLATILE and not k.startswith("@odata.") and "@odata." not in k
        }
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def digest(obj: JsonObject) -> str:
    return hashlib.sha256(canonical(normalise(obj)).encode()).hexdigest()


def object_id(resource: str, obj: JsonObject) -> str:
    """The stable id of an object; a singleton policy without one is keyed by resource."""
    for field in _ID_FIELDS:
        value = obj.get(field)
        if isinstance(value, str) and value:
            return value
    return resource


def display_name(obj: JsonObject) -> str | None:
    for field in _NAME_FIELDS:
        value = obj.get(field)
        if isinstance(value, str) and value:
            return value
    return None


def index(resource: str, items: Iterable[JsonObject]) -> dict[str, JsonObject]:
    """Normalised objects of one resource by id."""
    return {object_id(resource, o): normalise(o) for o in items}


@dataclass(frozen=True)
class PropertyChange:
    path: str  # dotted path, e.g. conditions.users.excludeUsers
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ObjectDiff:
    resource: str
    object_id: str
    display_name: str | None
    kind: str  # added | removed | changed
    changes: tuple[PropertyChange, ...]
    current: JsonObject | None  # the normalised object now (None when removed)

    @property
    def key(self) -> str:
        return f"{self.resource}/{self.object_id}"

    def describe(self) -> str:
        what = f"{TRACKED.get(self.resource, self.resource)} {self.display_name or self.object_id}"
        if self.kind != "changed":
            return f"{what} {self.kind}"
        paths = ", ".join(c.path for c in self.changes[:3])
        more = f" (+{len(self.changes) - 3})" if len(self.changes) > 3 else ""
        return f"{what} changed: {paths}{more}"


def _as_set(items: list[Any]) -> list[Any]:
    return sorted(items, key=canonical)


def property_changes(old: Any, new: Any, path: str = "") -> list[PropertyChange]:
    """Leaf-level differences between two normalised values (lists compare as sets)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[PropertyChange] = []
        for key in sorted(set(old) | set(new)):
            sub = f"{path}.{key}" if path else key
            out.extend(property_changes(old.get(key), new.get(key), sub))
        return out
    if isinstance(old, list) and isinstance(new, list):
        if _as_set(old) == _as_set(new):
            return []
        return [PropertyChange(path, _as_set(old), _as_set(new))]
    if old == new:
        return []
    return [PropertyChange(path, old, new)]


def diff_resource(
    resource: str, baseline: Mapping[str, JsonObject], current: Mapping[str, JsonObject]
) -> list[ObjectDiff]:
    """Added, removed and changed objects of one resource (both sides normalised)."""
    diffs = []
    for oid in sorted(set(baseline) | set(current)):
        before, after = baseline.get(oid), current.get(oid)
        if before is None and after is not None:
            diffs.append(ObjectDiff(resource, oid, display_name(after), "added", (), after))
        elif after is None and before is not None:
            diffs.append(ObjectDiff(resource, oid, display_name(before), "removed", (), None))
        elif before is not None and after is not None:
            changes = property_changes(before, after)
            if changes:
                name = display_name(after)
                diffs.append(ObjectDiff(resource, oid, name, "changed", tuple(changes), after))
    return diffs


@dataclass(frozen=True)
class Attribution:
    """Who changed an object and when, from the directory audit log."""

    actor: str
    at: datetime
    activity: str


def _actor(event: JsonObject) -> str:
    initiated = event.get("initiatedBy") or {}
    user = initiated.get("user") or {}
    app = initiated.get("app") or {}
    for value in (
        user.get("userPrincipalName"),
        user.get("displayName"),
        app.get("displayName"),
        app.get("servicePrincipalName"),
        user.get("id"),
        app.get("appId"),
    ):
        if isinstance(value, str) and value:
            return value
    return "unknown"


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def attribute(
    object_id: str, events: Iterable[JsonObject], start: datetime | None, end: datetime
) -> Attribution | None:
    """The latest directoryAudits event targeting `object_id` within (start, end]."""
    best: Attribution | None = None
    for event in events:
        targets = event.get("targetResources") or []
        if not any(isinstance(t, dict) and t.get("id") == object_id for t in targets):
            continue
        at = _parse_time(event.get("activityDateTime"))
        if at is None or at > end or (start is not None and at <= start):
            continue
        if best is None or at > best.at:
            best = Attribution(_actor(event), at, str(event.get("activityDisplayName") or ""))
    return best
