"""An authority matrix says who may take which response action, at which severity."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if ctx.governance is None:
        return not_assessed("governance facts were not available to the assessment")
    value = ctx.governance.authority_matrix_defined
    obs = observe(
        "governance", "authority_matrix", "Authority matrix", "defined", value, "true", value
    )
    return Result((obs,), "authority matrix " + ("defined" if value else "missing"))


CONTROL = Control(
    id="IR-005v1",
    title="A response authority matrix is defined",
    rationale=(
        "Asking permission to disable a compromised account at 2 a.m. costs the hours that matter."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.INCIDENT_RESPONSE,
    csf=("GV.RR-02", "RS.MA-04"),
    requires=(),
    remediation=Remediation(
        portal=(
            "Agree with the IT lead which actions the partner takes alone and which need approval"
        ),
        command="cosec.yaml: incident_response.authority (rules per role, action, severity)",
    ),
    check=check,
)
