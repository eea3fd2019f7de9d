"""Break-glass accounts are excluded from every enabled Conditional Access policy."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import break_glass_ids, policy_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    if not glass:
        return not_assessed("no break-glass account declared in cosec.yaml exists in the tenant")
    obs = []
    for p in sorted(view.ca_policies, key=lambda p: p.display_name):
        if not p.enabled:
            continue
        applies = sorted(view.user_label(u) for u in glass & view.policy_users(p))
        obs.append(
            policy_obs(
                p,
                "conditions.users.exclude*",
                applies or "all excluded",
                "all break-glass accounts excluded",
                not applies,
            )
        )
    return Result(
        tuple(obs), f"{sum(not o.ok for o in obs)} enabled policies apply to a break-glass account"
    )


CONTROL = Control(
    id="IDN-009v1",
    title="Break-glass accounts are excluded from Conditional Access",
    rationale="A policy that applies to the emergency account can lock it out with everyone else.",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05", "PR.IR-03"),
    requires=("users", "groupMembers", "roleAssignments", "conditionalAccessPolicies"),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Conditional Access > each policy > Users > Exclude: "
            "the break-glass group"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/{id} "
            '{"conditions":{"users":{"excludeGroups":["<break-glass group id>"]}}}'
        ),
    ),
    check=check,
)
