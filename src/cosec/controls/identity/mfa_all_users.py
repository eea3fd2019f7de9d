"""Every enabled member must be required to use MFA by CA policy or security defaults."""

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
        return security_defaults_result("security defaults require MFA for every user")
    members = population.enabled_members(view, ctx.break_glass_accounts)
    obs, missing = coverage_result(
        view,
        members.members,
        list(enforcement.policies),
        what="mfa",
        expected="covered by an always-on MFA policy",
    )
    total = len(members.members)
    glass = glass_note(members)
    return Result(
        tuple(obs),
        f"{total - missing} of {total} enabled members must use MFA{glass}"
        f"{mfa_not_counted(enforcement)}",
    )


CONTROL = Control(
    id="IDN-001v1",
    title="MFA is enforced for all users",
    rationale="A password alone is phished or sprayed in days; MFA stops most account takeover.",
    severity=Severity.CRITICAL,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    cis=("5.2.2.2",),
    scuba=("MS.AAD.3.2v1",),
    requires=("users", "groupMembers", "roleAssignments", "securityDefaults"),
    optional=("conditionalAccessPolicies",),
    remediation=Remediation(
        portal="Entra admin center > Protection > Conditional Access > New policy: All users "
        "(exclude break-glass), All resources, Grant: Require multifactor authentication",
        command="POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
        '{"state":"enabled","conditions":{"users":{"includeUsers":["All"]},'
        '"applications":{"includeApplications":["All"]}},'
        '"grantControls":{"operator":"OR","builtInControls":["mfa"]}}',
    ),
    check=check,
    decided_by="Users not covered = enabled members minus users an always-on MFA policy "
    "applies to (enabled, all apps, no sign-in-risk or user-risk condition, no client-app "
    "restriction; include/exclude by user, group and active role resolved) — the definition "
    "in cosec.model.derived.mfa that the metrics share. Risk-conditioned, client-app-limited "
    "and report-only policies do not count; declared break-glass accounts are left out of "
    "the population and named in the summary.",
)
