"""Privileged users must be required to use phishing-resistant MFA."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import coverage_result, glass_note
from cosec.controls.wording import share
from cosec.model.derived import population
from cosec.model.derived.mfa import mfa_enforcement
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    privileged = population.privileged(view, ctx.break_glass_accounts)
    admins = privileged.members
    policies = list(mfa_enforcement(view, phishing_resistant_only=True).policies)
    obs, missing = coverage_result(
        view,
        admins,
        policies,
        what="phishingResistant",
        expected="covered by a phishing-resistant strength policy",
    )
    return Result(
        tuple(obs),
        share(
            len(admins) - missing,
            len(admins),
            "privileged users",
            "are required to use phishing-resistant MFA",
        )
        + glass_note(privileged),
    )


CONTROL = Control(
    id="IDN-004v1",
    title="Phishing-resistant MFA is required for administrators",
    rationale=(
        "Adversary-in-the-middle kits relay push and code MFA; FIDO2 and Windows Hello cannot be "
        "relayed."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    cis=("5.2.2.5",),
    scuba=("MS.AAD.3.6v1",),
    requires=("users", "groupMembers", "roleAssignments", "conditionalAccessPolicies"),
    optional=("roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal="Entra admin center > Protection > Conditional Access > New policy: "
        "Directory roles, Grant: Require authentication strength 'Phishing-resistant MFA'",
        command="POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies "
        '{"grantControls":{"operator":"OR","authenticationStrength":'
        '{"id":"00000000-0000-0000-0000-000000000004"}}, …}',
    ),
    check=check,
    decided_by="A strength counts when every combination it allows (allowedCombinations) "
    "is FIDO2, Windows Hello for Business or certificate-based MFA; its name is ignored.",
)
