"""High-risk sign-ins must be challenged (MFA) or blocked — Identity Protection (P2)."""

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
        and "high" in p.sign_in_risk_levels
        and (p.blocks or p.requires_mfa)
    ]
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs, missing = coverage_result(
        view,
        view.enabled_members,
        policies,
        what="signInRisk",
        expected="risky sign-ins challenged",
        skip=glass,
    )
    return Result(tuple(obs), f"{missing} users without a sign-in risk policy")


CONTROL = Control(
    id="IDN-006v1",
    title="A sign-in risk policy challenges or blocks risky sign-ins",
    rationale=(
        "Identity Protection flags token replay, impossible travel and password spray as they "
        "happen."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03", "DE.CM-03"),
    cis=("5.2.2.7",),
    scuba=("MS.AAD.2.3v1",),
    requires=("users", "groupMembers", "roleAssignments", "conditionalAccessPolicies"),
    licences=(Licence.ENTRA_P2,),
    remediation=Remediation(
        portal="Entra admin center > Protection > Conditional Access > New policy: All users, "
        "Conditions: Sign-in risk High/Medium, Grant: Require MFA",
        command="POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
        '{"conditions":{"signInRiskLevels":["high","medium"],…},"grantControls":{"builtInControls":["mfa"]}}',
    ),
    check=check,
)
