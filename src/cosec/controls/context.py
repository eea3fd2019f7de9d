"""Everything a check may consult besides the snapshot: the assessment context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cosec.config import Role, Severity, Workspace
from cosec.model.governance import (
    AreaOwners,
    ControlArea,
    ExceptionGrant,
    GovernanceFacts,
    Owner,
    RestoreTest,
)
from cosec.model.view import TierRule


@dataclass(frozen=True)
class IncidentFact:
    """An incident as the readiness controls see it (from the incident register)."""

    id: str
    title: str
    severity: Severity
    created_at: datetime
    resolved_at: datetime | None


DEFAULT_RESOLUTION_WINDOWS: dict[Severity, timedelta] = {
    Severity.CRITICAL: timedelta(days=2),
    Severity.HIGH: timedelta(days=7),
    Severity.MEDIUM: timedelta(days=30),
    Severity.LOW: timedelta(days=90),
}


@dataclass(frozen=True)
class AssessmentContext:
    now: datetime
    tenant: str
    owners: Mapping[ControlArea, AreaOwners]
    risk_tiers: Mapping[str, TierRule] = field(default_factory=dict)
    break_glass_accounts: tuple[str, ...] = ()  # UPNs
    critical_datasets: tuple[str, ...] = ()
    patch_baseline: Mapping[str, str] = field(default_factory=dict)  # platform → min version
    vulnerability_sla: Mapping[Severity, timedelta] = field(default_factory=dict)
    exceptions: tuple[ExceptionGrant, ...] = ()
    restore_tests: tuple[RestoreTest, ...] | None = None  # None: the register was not read
    governance: GovernanceFacts | None = None
    incidents: tuple[IncidentFact, ...] | None = None
    resolution_windows: Mapping[Severity, timedelta] = field(
        default_factory=lambda: dict(DEFAULT_RESOLUTION_WINDOWS)
    )
    review_cadence: Mapping[str, timedelta] = field(
        default_factory=lambda: {
            "monthly_operational": timedelta(days=31),
            "quarterly_executive": timedelta(days=92),
        }
    )
    # manual attestations (control id → when a person last confirmed it) for what no API
    # can show, e.g. that break-glass sign-ins raise an alert
    attestations: Mapping[str, datetime] = field(default_factory=dict)
    attestation_valid_for: timedelta = timedelta(days=92)
    stale_after: timedelta = timedelta(days=90)  # accounts
    device_stale_after: timedelta = timedelta(days=30)
    restore_test_period: timedelta = timedelta(days=92)

    def grants_for(self, control_id: str, aliases: tuple[str, ...] = ()) -> list[ExceptionGrant]:
        """Valid grants for this control (or an earlier id of it) on this tenant."""
        ids = {control_id, *aliases}
        return [
            g
            for g in self.exceptions
            if g.control_id in ids and g.tenant == self.tenant and g.expires_at > self.now
        ]

    def tier(self, name: str) -> TierRule | None:
        return self.risk_tiers.get(name)

    @classmethod
    def from_workspace(
        cls,
        workspace: Workspace,
        tenant: str,
        now: datetime,
        *,
        owners: Mapping[ControlArea, AreaOwners] | None = None,
        exceptions: tuple[ExceptionGrant, ...] = (),
        restore_tests: tuple[RestoreTest, ...] | None = None,
        governance: GovernanceFacts | None = None,
        incidents: tuple[IncidentFact, ...] | None = None,
        attestations: Mapping[str, datetime] | None = None,
    ) -> AssessmentContext:
        settings = workspace.tenant_settings(tenant)
        return cls(
            now=now,
            tenant=tenant,
            owners=owners if owners is not None else co_managed_owners(workspace),
            risk_tiers=dict(workspace.risk_tiers),
            break_glass_accounts=settings.break_glass_accounts,
            critical_datasets=settings.critical_datasets,
            patch_baseline=dict(workspace.patch_baseline),
            vulnerability_sla=dict(workspace.sla.vulnerability_remediation),
            exceptions=exceptions,
            restore_tests=restore_tests,
            governance=governance,
            incidents=incidents,
            attestations=dict(attestations or {}),
        )


# The co-managed default: the partner runs configuration, monitoring and response of the
# technical areas; the business owns recovery decisions, awareness and governance, and
# holds the evidence of everything it must be able to show an auditor.
_CO_MANAGED: dict[ControlArea, tuple[tuple[str, Role], ...]] = {
    ControlArea.IDENTITY: (
        ("partner", Role.ENGINEER),
        ("partner", Role.ANALYST),
        ("partner", Role.RESPONDER),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.EMAIL: (
        ("partner", Role.ENGINEER),
        ("partner", Role.ANALYST),
        ("partner", Role.RESPONDER),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.ENDPOINT: (
        ("partner", Role.ENGINEER),
        ("partner", Role.ANALYST),
        ("partner", Role.RESPONDER),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.VULNERABILITY_MANAGEMENT: (
        ("partner", Role.ENGINEER),
        ("partner", Role.ANALYST),
        ("partner", Role.ENGINEER),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.DATA_RECOVERY: (
        ("internal", Role.IT_LEAD),
        ("partner", Role.ANALYST),
        ("internal", Role.IT_LEAD),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.INCIDENT_RESPONSE: (
        ("partner", Role.INCIDENT_MANAGER),
        ("partner", Role.ON_CALL),
        ("partner", Role.INCIDENT_MANAGER),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.AWARENESS: (
        ("internal", Role.IT_LEAD),
        ("partner", Role.ANALYST),
        ("internal", Role.IT_LEAD),
        ("internal", Role.IT_LEAD),
    ),
    ControlArea.GOVERNANCE: (
        ("internal", Role.IT_LEAD),
        ("internal", Role.RISK_OWNER),
        ("internal", Role.RISK_OWNER),
        ("internal", Role.RISK_OWNER),
    ),
}


def co_managed_owners(workspace: Workspace) -> dict[ControlArea, AreaOwners]:
    """A default responsibility map; a duty with no person holding its role is unowned."""

    def owner(party: str, role: Role) -> Owner | None:
        holders = [p for p in workspace.people if p.party == party and role in p.roles]
        return Owner(party, role.value, holders[0].id) if holders else None

    out: dict[ControlArea, AreaOwners] = {}
    for area, cells in _CO_MANAGED.items():
        configure, monitor, respond, evidence = (owner(p, r) for p, r in cells)
        out[area] = AreaOwners(area, configure, monitor, respond, evidence)
    return out
