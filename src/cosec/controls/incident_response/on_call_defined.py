"""An on-call roster exists for alerts outside business hours."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if ctx.governance is None:
        return not_assessed("governance facts were not available to the assessment")
    value = ctx.governance.on_call_defined
    obs = observe("governance", "on_call", "On-call roster", "defined", value, "true", value)
    return Result((obs,), "on-call roster " + ("defined" if value else "missing"))


CONTROL = Control(
    id="IR-004v1",
    title="An on-call roster is defined",
    rationale="Attacks start on Friday night; someone must be reachable when they do.",
    severity=Severity.HIGH,
    area=ControlArea.INCIDENT_RESPONSE,
    csf=("RS.MA-01", "GV.RR-02"),
    requires=(),
    remediation=Remediation(
        portal="Agree the roster with the partner",
        command=(
            "cosec.yaml: incident_response.on_call.after_hours (or give people the on_call role)"
        ),
    ),
    check=check,
)
