"""The monthly operational review between the IT lead and the partner is held."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.governance.reviews import review_on_cadence
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    return review_on_cadence(ctx, "monthly_operational", "monthly operational review")


CONTROL = Control(
    id="GOV-003v1",
    title="Monthly operational reviews are held",
    rationale="Drift, overdue findings and expiring exceptions only get fixed when someone looks.",
    severity=Severity.MEDIUM,
    area=ControlArea.GOVERNANCE,
    csf=("GV.OV-03", "ID.IM-03"),
    requires=(),
    remediation=Remediation(
        portal="Hold the review with the generated monthly report",
        command="cosec report monthly; then cosec report held monthly --attendees …",
    ),
    check=check,
)
