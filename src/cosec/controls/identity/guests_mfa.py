"""Guest users are required to use MFA."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import coverage_result
from cosec.model.derived.mfa import SECURITY_DEFAULTS, mfa_enforcement
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    guests = {u.id for u in view.users.values() if u.is_guest and u.enabled is not False}
    enforcement = mfa_enforcement(view)
    if enforcement.by == SECURITY_DEFAULTS:
        return Result((), "security defaults require MFA for guests")
    obs, missing = coverage_result(
        view,
        guests,
        list(enforcement.policies),
        what="mfa",
        expected="covered by an always-on MFA policy",
    )
    return Result(tuple(obs), f"{missing} of {len(guests)} guests can sign in without MFA")


CONTROL = Control(
    id="IDN-025v1",
    title="Guests must use MFA",
    rationale="A guest's home tenant may not enforce MFA; the resource tenant must.",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    requires=("users", "groupMembers", "roleAssignments", "securityDefaults"),
    optional=("conditionalAccessPolicies",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Conditional Access > New policy: Guest or external "
            "users, All resources, Require MFA"
        ),
        command=(
            "POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
            '{"conditions":{"users":{"includeUsers":["GuestsOrExternalUsers"]},…},"grantControls":{"builtInControls":["mfa"]}}'
        ),
    ),
    check=check,
)
