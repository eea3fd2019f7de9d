"""Findings (from the controls engine) as the reviews and the evidence pack need them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cosec.controls.base import Control
from cosec.controls.finding import Finding
from cosec.model.governance import Duty
from cosec.reports.content import FindingRow


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


def finding_rows(findings: Iterable[Finding], controls: Mapping[str, Control]) -> list[FindingRow]:
    return [finding_row(f, controls.get(f.control_id)) for f in findings]
