"""Legacy authentication (no MFA possible) must be blocked for everyone."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import (
    break_glass_ids,
    ca_policies,
    coverage_result,
    security_defaults_on,
    security_defaults_result,
)
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

LEGACY = {"exchangeActiveSync", "other"}


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if security_defaults_on(view):
        return security_defaults_result("security defaults block legacy authentication")
    blocking = [
        p
        for p in ca_policies(view)
        if p.enabled and p.blocks and p.all_apps and set(p.client_app_types) >= LEGACY
    ]
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs, missing = coverage_result(
        view,
        view.enabled_members,
        blocking,
        what="legacyAuthBlocked",
        expected="legacy clients blocked",
        skip=glass,
    )
    total = len(view.enabled_members) - len(glass & set(view.enabled_members))
    return Result(
        tuple(obs), f"legacy authentication blocked for {total - missing} of {total} users"
    )


CONTROL = Control(
    id="IDN-005v1",
    title="Legacy authentication is blocked",
    rationale=(
        "IMAP, POP and basic-auth clients cannot do MFA, so password spraying walks straight in."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03", "PR.PS-01"),
    cis=("5.2.2.3",),
    scuba=("MS.AAD.1.1v1",),
    requires=("users", "groupMembers", "roleAssignments", "securityDefaults"),
    optional=("conditionalAccessPolicies",),
    remediation=Remediation(
        portal="Entra admin center > Protection > Conditional Access > New policy: All users, "
        "Client apps: Exchange ActiveSync + Other clients, Grant: Block access",
        command="POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
        '{"conditions":{"clientAppTypes":["exchangeActiveSync","other"],…},"grantControls":{"operator":"OR","builtInControls":["block"]}}',
    ),
    check=check,
)
