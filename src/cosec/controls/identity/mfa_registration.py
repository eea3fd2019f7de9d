"""Every enabled member has registered an MFA method."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    regs = view.registrations
    obs = []
    for uid in sorted(view.enabled_members):
        reg = regs.get(uid)
        observed = None if reg is None else reg.mfa_registered
        if observed is not True:
            obs.append(
                user_obs(
                    view, uid, "userRegistrationDetails.isMfaRegistered", observed, "true", False
                )
            )
    total = len(view.enabled_members)
    return Result(tuple(obs), f"{total - len(obs)} of {total} enabled members registered for MFA")


CONTROL = Control(
    id="IDN-003v1",
    title="All users are registered for MFA",
    rationale=(
        "An unregistered user can be registered by whoever signs in first — including an attacker."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01", "PR.AA-03"),
    cis=("5.2.3.4",),
    requires=("users", "userRegistrationDetails"),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Authentication methods > Registration campaign: "
            "Enabled"
        ),
        command="PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy "
        '{"registrationEnforcement":{"authenticationMethodsRegistrationCampaign":{"state":"enabled"}}}',
    ),
    check=check,
)
