"""Users cannot consent to applications on their own (admin consent only)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    consent = view.authorization_policy.user_consent_policies
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "defaultUserRolePermissions.permissionGrantPoliciesAssigned",
        list(consent),
        "no ManagePermissionGrantsForSelf.* policy",
        not consent,
    )
    return Result((obs,), "users may consent to apps" if consent else "only admins consent to apps")


CONTROL = Control(
    id="IDN-015v1",
    title="Users cannot consent to applications",
    rationale=(
        "Consent phishing grants an attacker's app standing access to mail and files, surviving "
        "password resets."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("5.1.5.1",),
    scuba=("MS.AAD.5.2v1",),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Enterprise apps > Consent and permissions > User consent "
            "settings: Do not allow user consent"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            '{"defaultUserRolePermissions":{"permissionGrantPoliciesAssigned":[]}}'
        ),
    ),
    check=check,
)
