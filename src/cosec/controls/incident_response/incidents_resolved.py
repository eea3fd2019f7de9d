"""High and critical incidents are not left open beyond their resolution window."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

JUDGED = (Severity.CRITICAL, Severity.HIGH)


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if ctx.incidents is None:
        return not_assessed("the incident register was not available to the assessment")
    obs = []
    for inc in ctx.incidents:
        if inc.severity not in JUDGED or inc.resolved_at is not None:
            continue
        window = ctx.resolution_windows[inc.severity]
        age = ctx.now - inc.created_at
        obs.append(
            observe(
                "incidents",
                inc.id,
                inc.title,
                "open_for_days",
                age.days,
                f"resolved within {window.days} days",
                age <= window,
            )
        )
    return Result(
        tuple(obs), f"{sum(not o.ok for o in obs)} high/critical incidents open past their window"
    )


CONTROL = Control(
    id="IR-002v1",
    title="High-severity incidents are resolved in time",
    rationale="An incident left open is an intruder left in.",
    severity=Severity.HIGH,
    area=ControlArea.INCIDENT_RESPONSE,
    csf=("RS.MA-01", "RS.MI-02"),
    requires=(),
    remediation=Remediation(
        portal="cosec incidents: escalate per the authority matrix, contain and close",
        command="review open incidents with the incident manager; record containment and closure",
    ),
    check=check,
)
