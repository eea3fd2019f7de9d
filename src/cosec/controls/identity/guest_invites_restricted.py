"""Only admins and Guest Inviters may invite guests."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

ALLOWED = ("none", "adminsAndGuestInviters")


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.authorization_policy.allow_invites_from
    ok = value in ALLOWED
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "allowInvitesFrom",
        value,
        " or ".join(ALLOWED),
        ok,
    )
    return Result((obs,), f"guest invitations: {value}")


CONTROL = Control(
    id="IDN-016v1",
    title="Guest invitations are restricted",
    rationale=(
        "When anyone can invite guests, outsiders reach internal data without a business owner "
        "deciding."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("5.1.6.3",),
    scuba=("MS.AAD.8.2v1",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > External Identities > External collaboration settings > Guest "
            "invite settings: Only users assigned to specific admin roles"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            '{"allowInvitesFrom":"adminsAndGuestInviters"}'
        ),
    ),
    check=check,
)
