"""Guests have limited or restricted directory access, not member-level access."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.policies import GUEST_ROLE_LIMITED, GUEST_ROLE_RESTRICTED
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    role = view.authorization_policy.guest_user_role_id
    ok = role in (GUEST_ROLE_LIMITED, GUEST_ROLE_RESTRICTED)
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "guestUserRoleId",
        role,
        "limited or restricted guest role",
        ok,
    )
    return Result(
        (obs,), "guest directory access restricted" if ok else "guests can enumerate the directory"
    )


CONTROL = Control(
    id="IDN-017v1",
    title="Guest access to the directory is restricted",
    rationale=(
        "Guests with member-level read access can map the organisation for targeted phishing."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("5.1.6.2",),
    scuba=("MS.AAD.8.1v1",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > External Identities > External collaboration settings > Guest "
            "user access: most restrictive"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            '{"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b"}'
        ),
    ),
    check=check,
)
