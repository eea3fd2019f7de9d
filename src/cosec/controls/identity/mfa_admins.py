"""Holders of privileged roles must be required to use MFA."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import (
    coverage_result,
    glass_note,
    mfa_not_counted,
    security_defaults_result,
)
from cosec.model.derived import population
from cosec.model.derived.mfa import SECURITY_DEFAULTS, mfa_enforcement
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    enforcement = mfa_enforcement(view)
    if enforcement.by == SECURITY_DEFAULTS:
        return security_defaults_result("security defaults require MFA for administrators")
    privileged = population.privileged(view, ctx.break_glass_accounts)
    admins = privileged.members
    obs, missing = coverage_result(
        view,
        admins,
        list(enforcement.policies),
        what="mfa",
        expected="covered by an always-on MFA policy",
    )
    return Result(
        tuple(obs),
        f"{len(admins) - missing} of {len(admins)} privileged users must use MFA"
        f"{glass_note(privileged)}{mfa_not_counted(enforcement)}",
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
    decided_by="Privileged users (active holders of highly privileged roles, eligible ones "
    "when readable) minus declared break-glass accounts, which are reported separately; "
    "covered = an always-on MFA policy applies (cosec.model.derived.mfa, shared with the "
    "metrics): risk-conditioned, client-app-limited and report-only policies do not count.",
)
