"""Findings (from the controls engine) as the reviews and the evidence pack need them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from cosec.controls.base import Control
from cosec.controls.catalog import control_by_id
from cosec.controls.finding import Finding
from cosec.metrics.facts import Missing
from cosec.metrics.periods import Period
from cosec.model.governance import Duty
from cosec.reports.content import FindingRow
from cosec.store.assessments import get_run, list_runs


def finding_row(finding: Finding, control: Control | None) -> FindingRow:
    """One row: the fix comes from the control's remediation, the owner from `configure`."""
    owner = finding.owners.for_duty(Duty.CONFIGURE) if finding.owners else None
    remediation = control.remediation.portal if control else ""
    return FindingRow(
        control_id=finding.control_id,
        title=finding.title,
        area=finding.area.value,
        severity=finding.severity.value,
        status=finding.status.value,
        affected=len(finding.unexcepted or finding.affected),
        owner=owner.label() if owner else "unowned",
        remediation=remediation,
        csf=control.csf if control else (),
        summary=finding.summary,
        document=finding.as_dict(),
    )


def _rows(session: Session, run_id: int) -> list[FindingRow]:
    run = get_run(session, run_id)
    return [finding_row(f, _control(f.control_id)) for f in run.findings]


def _control(control_id: str) -> Control | None:
    try:
        return control_by_id(control_id)
    except KeyError:
        return None  # a control since removed from the catalog: no fix or CSF ids to show


def _last_run_before(session: Session, tenant: str, end: datetime) -> int | None:
    ids = [rid for rid, at, _ in list_runs(session, tenant) if at < end]
    return ids[-1] if ids else None


def assessed_snapshot(session: Session, tenant: str, period: Period) -> int | None:
    """Id of the snapshot the period's findings were assessed on (None if none/unknown)."""
    run_id = _last_run_before(session, tenant, period.end)
    return None if run_id is None else get_run(session, run_id).snapshot_id


def period_findings(
    session: Session, tenant: str, period: Period
) -> tuple[list[FindingRow] | Missing, list[FindingRow]]:
    """Findings of the last assessment before the period ends, and of the last one before
    it began (for trends): the state of the tenant as the review describes it."""
    current = _last_run_before(session, tenant, period.end)
    previous = _last_run_before(session, tenant, period.start)
    if current is None:
        return Missing(f"no assessment of {tenant} before the end of {period.label}"), []
    return _rows(session, current), ([] if previous is None else _rows(session, previous))
