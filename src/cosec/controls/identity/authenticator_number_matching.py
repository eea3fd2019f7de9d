"""Microsoft Authenticator push requires number matching (MFA fatigue protection)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

OBJECT = "authenticationMethodsPolicy/MicrosoftAuthenticator"


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    cfg = view.auth_methods_policy.methods.get("microsoftauthenticator")
    if cfg is None or cfg.state != "enabled":
        obs = observe(
            "authenticationMethodsPolicy",
            OBJECT,
            "Microsoft Authenticator",
            "state",
            cfg.state if cfg else "absent",
            "disabled, or enabled with number matching",
            True,
        )
        return Result((obs,), "Authenticator push not in use")
    matching = cfg.number_matching or "default"
    ok = matching != "disabled"
    obs = observe(
        "authenticationMethodsPolicy",
        OBJECT,
        "Microsoft Authenticator",
        "featureSettings.numberMatchingRequiredState.state",
        matching,
        "enabled or default (Microsoft-enforced)",
        ok,
    )
    return Result((obs,), f"number matching: {matching}")


CONTROL = Control(
    id="IDN-022v1",
    title="Authenticator requires number matching",
    rationale=(
        "Push bombing wins when a tired user taps Approve; number matching makes a blind approval "
        "impossible."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    cis=("5.2.3.1",),
    requires=("authenticationMethodsPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Authentication methods > Microsoft Authenticator > "
            "Configure: Require number matching"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/"
            "authenticationMethodConfigurations/MicrosoftAuthenticator "
            '{"featureSettings":{"numberMatchingRequiredState":{"state":"enabled"}}}'
        ),
    ),
    check=check,
)
