"""Everything a check may consult besides the snapshot: the assessment context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cosec.config import Severity, Workspace
from cosec.model.governance import (
    AreaOwners,
    ControlArea,
    ExceptionGrant,
    GovernanceFacts,
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
        owners: Mapping[ControlArea, AreaOwners],
        exceptions: tuple[ExceptionGrant, ...] = (),
        restore_tests: tuple[RestoreTest, ...] | None = None,
        governance: GovernanceFacts | None = None,
        incidents: tuple[IncidentFact, ...] | None = None,
        attestations: Mapping[str, datetime] | None = None,
    ) -> AssessmentContext:
        """`owners` come from the workspace's responsibility map
        (`cosec.governance.raci.area_owners`): its preset is the one source of defaults."""
        settings = workspace.tenant_settings(tenant)
        return cls(
            now=now,
            tenant=tenant,
            owners=owners,
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
