"""The plain facts metrics are computed from, gathered by the edges.

Each group of facts is either present (a tuple, possibly empty) or `Missing` with the
reason it could not be read — a metric over missing facts reports "no data" and that
reason, never a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cosec.metrics.periods import Period
from cosec.model.governance import AreaOwners, ControlArea, RestoreTest


@dataclass(frozen=True)
class Missing:
    reason: str


@dataclass(frozen=True)
class UserFact:
    """An enabled or disabled account with what protects it."""

    id: str
    upn: str
    enabled: bool
    member: bool  # userType Member (guests are excluded from coverage)
    tiers: frozenset[str]
    mfa_registered: bool | None  # None: registration details not readable
    # Grant controls every sign-in of this user must satisfy (cosec.model.derived.mfa:
    # always-on policies or security defaults, e.g. {"mfa"}); None when not readable.
    enforced_grants: frozenset[str] | None
    # A declared break-glass account: outside every coverage population, reported apart.
    break_glass: bool = False


@dataclass(frozen=True)
class DeviceFact:
    id: str
    name: str
    os: str
    os_version: str
    edr_onboarded: bool
    on_patch_baseline: bool | None  # None: no baseline configured for this OS


@dataclass(frozen=True)
class VulnerabilityFact:
    id: str
    device_id: str
    severity: str  # critical | high | medium | low
    first_seen: datetime
    remediated_at: datetime | None


@dataclass(frozen=True)
class AlertFact:
    """An alert as the triage queue (or Defender) knows it."""

    id: str
    category: str  # e.g. high_risk_sign_in, user_reported_phish, malware, …
    severity: str
    activity_at: datetime | None  # first malicious activity
    created_at: datetime  # detected
    triaged_at: datetime | None  # the triage decision (dismissed, resolved, escalated)
    resolved_at: datetime | None
    triage_sla: timedelta | None
    paused: timedelta = timedelta(0)  # SLA clock paused (recorded reasons) before the decision


# Where incident figures come from: incidents declared in cosec (timelines), or, for a
# tenant not running the incident workflow, Defender's own incidents.
COSEC_INCIDENTS = "incidents declared in cosec (timeline: first event, first detection, recovery)"
DEFENDER_INCIDENTS = "Microsoft Defender incidents (created, resolved)"


@dataclass(frozen=True)
class IncidentFact:
    id: str
    severity: str
    started_at: datetime | None  # first activity
    detected_at: datetime  # first detection: the first alert, else the declaration
    resolved_at: datetime | None
    source: str = COSEC_INCIDENTS


@dataclass(frozen=True)
class SimulationFact:
    """One attack-simulation campaign's totals."""

    id: str
    name: str
    completed_at: datetime
    delivered: int
    reported: int
    compromised: int


@dataclass(frozen=True)
class ImpersonationFact:
    """Whether one executive/finance user is protected by an enabled anti-phish policy."""

    user: str
    tier: str
    protected: bool


@dataclass(frozen=True)
class ScorePoint:
    at: datetime
    score: float
    max_score: float


@dataclass(frozen=True)
class ExceptionStats:
    active: int
    expiring_soon: int  # within the reminder window
    awaiting_decision: int
    expired_in_period: int
    granted_in_period: int


@dataclass(frozen=True)
class ChangeStats:
    approved_changes: int
    drift_detected: int
    drift_unapproved: int  # observed changes with no change record


@dataclass
class MetricInputs:
    """Everything one tenant's metrics for one period are computed from."""

    tenant: str
    period: Period
    users: tuple[UserFact, ...] | Missing = Missing("no snapshot in the period")
    tier_requirements: dict[str, frozenset[str]] = field(default_factory=dict)
    devices: tuple[DeviceFact, ...] | Missing = Missing("no snapshot in the period")
    vulnerabilities: tuple[VulnerabilityFact, ...] | Missing = Missing("no snapshot")
    vulnerability_sla: dict[str, timedelta] = field(default_factory=dict)
    alerts: tuple[AlertFact, ...] | Missing = Missing("no alerts collected")
    incidents: tuple[IncidentFact, ...] | Missing = Missing("no incidents collected")
    simulations: tuple[SimulationFact, ...] | Missing = Missing("no attack simulations read")
    impersonation: tuple[ImpersonationFact, ...] | Missing = Missing("no anti-phish policies")
    antiphish_last_review: datetime | Missing | None = Missing("no anti-phish policies")
    secure_scores: tuple[ScorePoint, ...] | Missing = Missing("no secure score read")
    restore_tests: tuple[RestoreTest, ...] | Missing = Missing("no restore tests recorded")
    exceptions: ExceptionStats | Missing = Missing("exception register not available")
    changes: ChangeStats | Missing = Missing("change records not available")
    owners: dict[ControlArea, AreaOwners] = field(default_factory=dict)
