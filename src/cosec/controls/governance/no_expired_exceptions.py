"""No expired risk acceptance is still relied on."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if ctx.governance is None:
        return not_assessed("governance facts were not available to the assessment")
    obs = [
        observe("exceptions", eid, eid, "expires_at", "expired", "renewed or closed", False)
        for eid in ctx.governance.expired_exceptions_relied_on
    ]
    return Result(tuple(obs), f"{len(obs)} expired exceptions still relied on")


CONTROL = Control(
    id="GOV-002v1",
    title="No expired exception is relied on",
    rationale="A risk acceptance past its end date is a decision nobody re-made.",
    severity=Severity.MEDIUM,
    area=ControlArea.GOVERNANCE,
    csf=("ID.RA-07", "GV.RM-04"),
    requires=(),
    remediation=Remediation(
        portal="Risk owner: renew with fresh justification, or fix the finding and close",
        command="review the listed exceptions in cosec's exception register",
    ),
    check=check,
)
