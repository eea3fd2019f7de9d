"""The quarterly executive review is held."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.governance.reviews import review_on_cadence
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    return review_on_cadence(ctx, "quarterly_executive", "quarterly executive review")


CONTROL = Control(
    id="GOV-004v1",
    title="Quarterly executive reviews are held",
    rationale=(
        "Leadership owns the risk; it must see the posture and the accepted risks each quarter."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.GOVERNANCE,
    csf=("GV.OV-01", "GV.RR-01"),
    requires=(),
    remediation=Remediation(
        portal="Hold the review with the generated quarterly report",
        command="cosec report quarterly; then cosec report held quarterly --attendees …",
    ),
    check=check,
)
