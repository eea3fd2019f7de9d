"""Every enabled member must be required to use MFA by CA policy or security defaults."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import (
    break_glass_ids,
    ca_policies,
    coverage_result,
    mfa_policies,
    security_defaults_on,
    security_defaults_result,
)
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if security_defaults_on(view):
        return security_defaults_result("security defaults require MFA for every user")
    policies = mfa_policies(view)
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs, missing = coverage_result(
        view,
        view.enabled_members,
        policies,
        what="mfa",
        expected="covered by an enabled MFA policy",
        skip=glass,
    )
    report_only = [
        p.display_name
        for p in ca_policies(view)
        if p.state == "enabledForReportingButNotEnforced" and p.requires_mfa
    ]
    note = f"; report-only policies not counted: {', '.join(report_only)}" if report_only else ""
    total = len(view.enabled_members) - len(glass & set(view.enabled_members))
    return Result(tuple(obs), f"{total - missing} of {total} enabled members must use MFA{note}")


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
    decided_by="Users not covered = enabled members minus users any enabled all-apps MFA "
    "policy applies to (include/exclude by user, group and active role resolved); "
    "report-only policies do not count; declared break-glass accounts are exempt.",
)
