"""Highly privileged roles are held just in time (PIM), not permanently active."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import break_glass_ids, user_obs
from cosec.model.governance import ControlArea
from cosec.model.identity_settings import AssignmentInstance
from cosec.model.view import PRIVILEGED_ROLES, TenantView


def _schedules(view: TenantView) -> dict[tuple[str, str], list[AssignmentInstance]]:
    """(role template, user id) → PIM schedule instances of the user's active grants."""
    out: dict[tuple[str, str], list[AssignmentInstance]] = {}
    if not view.available("roleAssignmentSchedules"):
        return out
    for inst in view.assignment_instances:
        template = view.role_template(inst.role_definition_id)
        users = view.group_users.get(inst.principal_id) or {inst.principal_id}
        for uid in users:
            out.setdefault((template, uid), []).append(inst)
    return out


def _state(instances: list[AssignmentInstance], eligible: bool) -> tuple[str, bool]:
    """What an active assignment is, and whether that is just in time."""
    if not instances:  # no schedule read: an eligible holder is taken to have activated
        return ("activated from eligible", True) if eligible else ("permanent active", False)
    if any(i.permanent for i in instances):
        return "permanent active", False
    if all(i.assignment_type == "Activated" for i in instances):
        return "activated from eligible", True
    end = max(i.end for i in instances if i.end is not None)
    return f"time-bound until {end:%Y-%m-%d}", True


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    schedules = _schedules(view)
    obs = []
    for template, name in PRIVILEGED_ROLES.items():
        eligible = view.eligible_role_holders.get(template, {})
        for uid in sorted(view.active_role_holders.get(template, {})):
            if uid in glass:
                continue
            state, ok = _state(schedules.get((template, uid), []), uid in eligible)
            obs.append(
                user_obs(view, uid, f"roleAssignments[{name}]", state, "eligible or time-bound", ok)
            )
    bad = sum(not o.ok for o in obs)
    return Result(tuple(obs), f"{bad} of {len(obs)} privileged assignments are permanent")


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
    optional=("roleDefinitions", "roleAssignmentSchedules"),
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
    decided_by="PIM schedule instances (roleAssignmentScheduleInstances) decide when read: "
    "an active assignment with no end that was not activated from an eligible one is "
    "permanent; a time-bound or activated one is not. Without them, an active holder who is "
    "also eligible counts as activated. Break-glass accounts are exempt.",
)
