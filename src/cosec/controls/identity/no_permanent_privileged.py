"""Highly privileged roles are held just in time (PIM), not permanently active."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import break_glass_ids, user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import PRIVILEGED_ROLES, TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs = []
    for template, name in PRIVILEGED_ROLES.items():
        eligible = view.eligible_role_holders.get(template, {})
        for uid in sorted(view.active_role_holders.get(template, {})):
            if uid in glass:
                continue
            activated = uid in eligible
            obs.append(
                user_obs(
                    view,
                    uid,
                    f"roleAssignments[{name}]",
                    "activated from eligible" if activated else "permanent active",
                    "eligible (just in time)",
                    activated,
                )
            )
    return Result(tuple(obs), f"{sum(not o.ok for o in obs)} permanent privileged assignments")


CONTROL = Control(
    id="IDN-012v1",
    title="No permanent active assignment of highly privileged roles",
    rationale=(
        "Standing admin rights are exposed every hour; eligible roles are exposed only while "
        "activated."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("5.3.1",),
    scuba=("MS.AAD.7.4v1",),
    requires=("users", "roleAssignments", "roleEligibilitySchedules", "groupMembers"),
    optional=("roleDefinitions",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Identity governance > Privileged Identity Management > Roles > "
            "convert active assignments to eligible"
        ),
        command=(
            "POST https://graph.microsoft.com/v1.0/roleManagement/directory/"
            "roleEligibilityScheduleRequests "
            '{"action":"adminAssign",…}; then remove the active assignment'
        ),
    ),
    check=check,
    decided_by="An active assignment is 'activated' when the same user is also eligible for "
    "the role (PIM activation); otherwise it is permanent. Break-glass accounts are exempt.",
)
