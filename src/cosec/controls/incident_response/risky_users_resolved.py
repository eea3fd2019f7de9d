"""High-risk users flagged by Identity Protection are remediated or dismissed in time."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    window = ctx.resolution_windows[Severity.HIGH]
    obs = []
    for r in view.risky_users:
        if r.risk_level != "high" or not r.open or r.last_updated is None:
            continue
        age = ctx.now - r.last_updated
        obs.append(
            user_obs(
                view,
                r.id,
                "riskState/riskLastUpdatedDateTime",
                f"{r.risk_state} for {age.days} days",
                f"remediated within {window.days} days",
                age <= window,
            )
        )
    return Result(tuple(obs), f"{sum(not o.ok for o in obs)} high-risk users left unresolved")


CONTROL = Control(
    id="IR-003v1",
    title="High-risk users are resolved in time",
    rationale="A user flagged high risk is probably compromised until proven otherwise.",
    severity=Severity.HIGH,
    area=ControlArea.INCIDENT_RESPONSE,
    csf=("RS.MA-02", "RS.MI-01"),
    requires=("riskyUsers", "users"),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Identity Protection > Risky users: investigate; "
            "reset password or confirm compromised / dismiss"
        ),
        command=(
            "POST https://graph.microsoft.com/v1.0/identityProtection/riskyUsers/"
            'confirmCompromised {"userIds":[…]} or …/dismiss'
        ),
    ),
    check=check,
)
