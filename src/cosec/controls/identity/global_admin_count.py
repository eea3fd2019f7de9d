"""Between two and four Global Administrators (active or eligible)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import GLOBAL_ADMIN, TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    holders = set(view.active_role_holders.get(GLOBAL_ADMIN, {}))
    if view.available("roleEligibilitySchedules"):
        holders |= set(view.eligible_role_holders.get(GLOBAL_ADMIN, {}))
    holders = {h for h in holders if h in view.users and view.users[h].enabled is not False}
    count = len(holders)
    ok = 2 <= count <= 4
    obs = [
        observe(
            "roleDefinitions",
            GLOBAL_ADMIN,
            "Global Administrator",
            "holders.count",
            count,
            "2 to 4",
            ok,
        )
    ]
    obs += [
        user_obs(view, uid, "roles", "Global Administrator", "2 to 4 holders in total", True)
        for uid in sorted(holders)
    ]
    return Result(tuple(obs), f"{count} Global Administrators")


CONTROL = Control(
    id="IDN-011v1",
    title="Two to four Global Administrators",
    rationale=(
        "One is a single point of failure; more than four multiplies the most powerful credential."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("1.1.3",),
    scuba=("MS.AAD.7.1v1",),
    requires=("users", "roleAssignments", "groupMembers"),
    optional=("roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal=(
            "Entra admin center > Roles & admins > Global Administrator > Assignments: keep 2–4, "
            "move others to narrower roles"
        ),
        command="Remove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId <id>",
    ),
    check=check,
)
