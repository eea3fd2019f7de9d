"""SMS, voice call and email one-time passcodes are disabled as sign-in methods."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

WEAK = ("Sms", "Voice", "Email")


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    policy = view.auth_methods_policy
    obs = []
    for method in WEAK:
        cfg = policy.methods.get(method.lower())
        state = cfg.state if cfg else "absent"
        obs.append(
            observe(
                "authenticationMethodsPolicy",
                f"authenticationMethodsPolicy/{method}",
                method,
                "state",
                state,
                "disabled",
                state != "enabled",
            )
        )
    enabled = [o.object.name for o in obs if not o.ok]
    return Result(
        tuple(obs),
        f"weak methods enabled: {', '.join(enabled)}" if enabled else "weak methods disabled",
    )


CONTROL = Control(
    id="IDN-021v1",
    title="Weak authentication methods are disabled",
    rationale=(
        "SMS and voice codes fall to SIM swapping and relay; email OTP to mailbox compromise."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    cis=("5.2.3.5",),
    scuba=("MS.AAD.3.5v1",),
    requires=("authenticationMethodsPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Authentication methods > Policies: SMS, Voice call, "
            "Email OTP → Disable"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/"
            "authenticationMethodConfigurations/Sms "
            '{"@odata.type":"#microsoft.graph.smsAuthenticationMethodConfiguration","state":"disabled"}'
        ),
    ),
    check=check,
)
