"""Records the governance layer hands to the pure core (controls, detection, metrics).

The register, the responsibility map and evidence recording live in `cosec.governance`
and `cosec.store`; what they produce for evaluation is defined here so the core depends
on plain data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class ControlArea(StrEnum):
    IDENTITY = "identity"
    EMAIL = "email"
    ENDPOINT = "endpoint"
    DATA_RECOVERY = "data_recovery"
    INCIDENT_RESPONSE = "incident_response"
    VULNERABILITY_MANAGEMENT = "vulnerability_management"
    AWARENESS = "awareness"
    GOVERNANCE = "governance"


class Duty(StrEnum):
    CONFIGURE = "configure"
    MONITOR = "monitor"
    RESPOND = "respond"
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class Owner:
    """Who holds one duty: the party, the named role, and optionally a person."""

    party: str  # internal | partner | microsoft
    role: str
    person: str | None = None
    escalation: str | None = None

    def label(self) -> str:
        who = f"{self.role} ({self.party})"
        return f"{who}, {self.person}" if self.person else who


@dataclass(frozen=True)
class AreaOwners:
    """The owners of one control area; None where the cell is unowned."""

    area: ControlArea
    configure: Owner | None
    monitor: Owner | None
    respond: Owner | None
    evidence: Owner | None
    evidence_source: str | None = None
    evidence_freshness: timedelta | None = None

    def for_duty(self, duty: Duty) -> Owner | None:
        owner: Owner | None = getattr(self, duty.value)
        return owner


@dataclass(frozen=True)
class ExceptionGrant:
    """A valid (approved, unexpired) risk acceptance, as the assessment sees it.

    `scope` holds the exact object ids (users, policies, devices, …) it covers; an empty
    scope covers the control for the whole tenant.
    """

    id: str
    control_id: str
    tenant: str
    scope: frozenset[str]
    expires_at: datetime
    risk_owner: str

    def covers(self, object_id: str) -> bool:
        return not self.scope or object_id in self.scope


@dataclass(frozen=True)
class RestoreTest:
    """A recorded restore test of one dataset (no Microsoft API has these)."""

    tenant: str
    dataset: str
    tested_at: datetime
    succeeded: bool
    time_to_restore: timedelta | None
    target: timedelta | None
    recorded_by: str
    source: str = "manual"
    notes: str = ""


@dataclass(frozen=True)
class GovernanceFacts:
    """Facts about the operating model that governance controls check."""

    unowned_cells: tuple[str, ...] = ()  # "area/duty" of every unowned or ambiguous cell
    expired_exceptions_relied_on: tuple[str, ...] = ()  # exception ids
    reviews_held: dict[str, datetime | None] = field(default_factory=dict)  # kind → last held
    on_call_defined: bool = False
    authority_matrix_defined: bool = False
