"""Group owners cannot grant applications access to their group's data."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    owners = [
        p
        for p in view.authorization_policy.permission_grant_policies
        if p.startswith("ManagePermissionGrantsForOwnedResource.")
    ]
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "defaultUserRolePermissions.permissionGrantPoliciesAssigned",
        owners,
        "no ManagePermissionGrantsForOwnedResource.* policy",
        not owners,
    )
    return Result(
        (obs,), "group owners cannot consent" if obs.ok else "group owners may consent to apps"
    )


CONTROL = Control(
    id="IDN-035v1",
    title="Group owners cannot consent to apps for their groups",
    rationale=(
        "Owner consent lets an app read a team's mail and files with no administrator involved."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=(),
    scuba=("MS.AAD.5.4v1",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Enterprise applications > Consent and permissions > User "
            "consent settings: Group owner consent: Do not allow"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            "{defaultUserRolePermissions: {permissionGrantPoliciesAssigned: []}}"
        ),
    ),
    check=check,
)
