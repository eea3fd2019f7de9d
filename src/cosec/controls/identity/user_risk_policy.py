"""High-risk users must change their password (or be blocked) — Identity Protection (P2)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import break_glass_ids, coverage_result
from cosec.model.governance import ControlArea
from cosec.model.resources import Licence
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    policies = [
        p
        for p in view.ca_policies
        if p.enabled
        and p.all_apps
        and "high" in p.user_risk_levels
        and (p.blocks or "passwordChange" in p.built_in_controls)
    ]
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs, missing = coverage_result(
        view,
        view.enabled_members,
        policies,
        what="userRisk",
        expected="risky users remediated",
        skip=glass,
    )
    return Result(tuple(obs), f"{missing} users without a user risk policy")


CONTROL = Control(
    id="IDN-007v1",
    title="A user risk policy forces remediation of high-risk users",
    rationale="Leaked credentials stay usable until the password changes; the policy forces it.",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01", "DE.CM-03"),
    cis=("5.2.2.6",),
    scuba=("MS.AAD.2.1v1",),
    requires=("users", "groupMembers", "roleAssignments", "conditionalAccessPolicies"),
    licences=(Licence.ENTRA_P2,),
    remediation=Remediation(
        portal="Entra admin center > Protection > Conditional Access > New policy: All users, "
        "Conditions: User risk High, Grant: Require MFA and password change",
        command="POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
        '{"conditions":{"userRiskLevels":["high"],…},"grantControls":{"operator":"AND","builtInControls":["mfa","passwordChange"]}}',
    ),
    check=check,
)
