"""Privileged accounts are cloud-only, not synchronised from on-premises AD."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        user_obs(view, uid, "onPremisesSyncEnabled", True, "false or null", False)
        for uid in sorted(view.privileged_users)
        if uid in view.users and view.users[uid].on_premises_sync
    ]
    return Result(
        tuple(obs),
        f"{len(obs)} of {len(view.privileged_users)} privileged accounts synchronised "
        "from on-premises",
    )


CONTROL = Control(
    id="IDN-013v1",
    title="Administrative accounts are cloud-only",
    rationale="A compromised on-premises domain must not hand over the cloud tenant as well.",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05", "PR.AA-01"),
    cis=("1.1.1",),
    scuba=("MS.AAD.7.3v1",),
    requires=("users", "roleAssignments", "groupMembers"),
    optional=("roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Users > Add a user: a separate cloud-only admin account; "
            "remove roles from the synchronised one"
        ),
        command=(
            "New-MgUser … (cloud-only); Remove-MgRoleManagementDirectoryRoleAssignment for the "
            "synchronised account"
        ),
    ),
    check=check,
)
