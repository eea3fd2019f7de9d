"""Outsiders with a verified email in the tenant's domain cannot join it on their own."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.authorization_policy.allow_email_verified_join
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "allowEmailVerifiedUsersToJoinOrganization",
        value,
        "false",
        value is False,
    )
    return Result(
        (obs,), "email-verified self-join " + ("allowed" if value is not False else "blocked")
    )


CONTROL = Control(
    id="IDN-027v1",
    title="Email-verified users cannot join the tenant",
    rationale="Self-service sign-up creates accounts nobody provisioned or will remove.",
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal="(no portal switch) use Graph",
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            '{"allowEmailVerifiedUsersToJoinOrganization":false}'
        ),
    ),
    check=check,
)
