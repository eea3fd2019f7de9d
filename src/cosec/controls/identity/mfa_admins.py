"""Holders of privileged roles must be required to use MFA."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import (
    break_glass_ids,
    coverage_result,
    mfa_policies,
    security_defaults_on,
    security_defaults_result,
)
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if security_defaults_on(view):
        return security_defaults_result("security defaults require MFA for administrators")
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    admins = view.privileged_users - glass
    obs, missing = coverage_result(
        view, admins, mfa_policies(view), what="mfa", expected="covered by an enabled MFA policy"
    )
    return Result(
        tuple(obs), f"{len(admins) - missing} of {len(admins)} privileged users must use MFA"
    )


CONTROL = Control(
    id="IDN-002v1",
    title="MFA is enforced for administrators",
    rationale="An administrator's password is the most valuable credential in the tenant.",
    severity=Severity.CRITICAL,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03", "PR.AA-05"),
    cis=("5.2.2.1",),
    requires=("users", "groupMembers", "roleAssignments", "securityDefaults"),
    optional=("conditionalAccessPolicies", "roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal="Entra admin center > Protection > Conditional Access > New policy: Directory roles "
        "(privileged roles), All resources, Grant: Require multifactor authentication",
        command="POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
        '{"state":"enabled","conditions":{"users":{"includeRoles":["62e90394-69f5-4237-9190-012177145e10"]},'
        '"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}',
    ),
    check=check,
)
