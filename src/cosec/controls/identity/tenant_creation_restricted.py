"""Ordinary users cannot create new Entra tenants."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.identity_settings import default_user_permission
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    raw = view.snapshot.items("authorizationPolicy")
    allowed = default_user_permission(raw[0], "allowedToCreateTenants") if raw else None
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "defaultUserRolePermissions.allowedToCreateTenants",
        allowed,
        "false",
        allowed is False,
    )
    return Result((obs,), "users cannot create tenants" if obs.ok else "users may create tenants")


CONTROL = Control(
    id="IDN-029v1",
    title="Non-admin users cannot create tenants",
    rationale=(
        "A tenant created by a user sits outside every policy and log the organisation has, "
        "yet carries its name."
    ),
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("5.1.2.3",),
    scuba=(),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Users > User settings > Restrict non-admin users from "
            "creating tenants: Yes"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            "{defaultUserRolePermissions: {allowedToCreateTenants: false}}"
        ),
    ),
    check=check,
)
