"""Only administrators can register applications."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    value = view.authorization_policy.users_can_create_apps
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "defaultUserRolePermissions.allowedToCreateApps",
        value,
        "false",
        value is False,
    )
    return Result(
        (obs,), "users can register apps" if value is not False else "only admins register apps"
    )


CONTROL = Control(
    id="IDN-026v1",
    title="Users cannot register applications",
    rationale="User-registered apps become unreviewed service identities holding credentials.",
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    scuba=("MS.AAD.5.1v1",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal="Entra admin center > Users > User settings > Users can register applications: No",
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            '{"defaultUserRolePermissions":{"allowedToCreateApps":false}}'
        ),
    ),
    check=check,
)
