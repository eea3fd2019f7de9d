"""Self-service password reset is enabled, so locked-out users do not call an attacker back."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.authorization_policy.allowed_to_use_sspr
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "allowedToUseSSPR",
        value,
        "true",
        value is True,
    )
    return Result((obs,), "self-service password reset " + ("on" if value else "off"))


CONTROL = Control(
    id="IDN-019v1",
    title="Self-service password reset is enabled",
    rationale="Without SSPR, resets go through the helpdesk — the channel social engineers target.",
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01",),
    cis=("5.2.4.1",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Password reset > Properties: Self service password "
            "reset enabled: All"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            '{"allowedToUseSSPR":true}'
        ),
    ),
    check=check,
)
