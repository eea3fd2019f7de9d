"""The snapshot container: raw JSON per resource plus each resource's outcome.

A snapshot is what the collector read of one tenant at one time. Typed views (users,
policies, …) are parsed from `raw` by the other modules of `cosec.model`; `raw` is kept
verbatim so any result can be re-derived and shown to an auditor. A resource that could
not be read has no raw items and an outcome saying why; a snapshot with any such resource
is partial.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

JsonObject = dict[str, Any]


class Outcome(StrEnum):
    OK = "ok"
    NOT_ASSESSED = "not_assessed"  # permission missing, licence missing, resource failed
    ERROR = "error"  # unexpected failure (bug, malformed response)


@dataclass(frozen=True)
class ResourceOutcome:
    resource: str
    status: Outcome
    reason: str = ""
    permission: str | None = None  # set when the reason is a missing permission
    licence: str | None = None  # set when the reason is a missing licence
    item_count: int = 0
    digest: str | None = None  # content address of the stored raw JSON

    @property
    def unlicensed(self) -> bool:
        return self.status is not Outcome.OK and self.licence is not None


class ResourceUnavailable(Exception):
    """Raised when a check asks for a resource the snapshot could not read."""

    def __init__(self, outcome: ResourceOutcome) -> None:
        super().__init__(f"{outcome.resource}: {outcome.reason or outcome.status}")
        self.outcome = outcome


@dataclass
class Snapshot:
    tenant: str
    taken_at: datetime
    outcomes: Mapping[str, ResourceOutcome]
    raw: Mapping[str, list[JsonObject]]
    # items of per-parent resources, keyed by parent id (e.g. messageRules by user id)
    raw_per_parent: Mapping[str, Mapping[str, list[JsonObject]]] = field(default_factory=dict)
    id: int | None = None

    @property
    def partial(self) -> bool:
        return any(o.status is not Outcome.OK for o in self.outcomes.values())

    def outcome(self, resource: str) -> ResourceOutcome:
        found = self.outcomes.get(resource)
        if found is None:
            return ResourceOutcome(resource, Outcome.NOT_ASSESSED, "not collected")
        return found

    def available(self, resource: str) -> bool:
        return self.outcome(resource).status is Outcome.OK

    def items(self, resource: str) -> list[JsonObject]:
        """Raw items of a resource; raises `ResourceUnavailable` if it was not read."""
        outcome = self.outcome(resource)
        if outcome.status is not Outcome.OK:
            raise ResourceUnavailable(outcome)
        return list(self.raw.get(resource, []))

    def children(self, resource: str) -> Mapping[str, list[JsonObject]]:
        """Per-parent raw items (parent id → items); raises if not read."""
        outcome = self.outcome(resource)
        if outcome.status is not Outcome.OK:
            raise ResourceUnavailable(outcome)
        return self.raw_per_parent.get(resource, {})
