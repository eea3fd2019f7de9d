"""Enabled members have registered for self-service password reset."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import break_glass_ids, user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs = []
    for uid in sorted(set(view.enabled_members) - glass):
        reg = view.registrations.get(uid)
        value = None if reg is None else reg.sspr_registered
        if value is not True:
            obs.append(
                user_obs(
                    view, uid, "userRegistrationDetails.isSsprRegistered", value, "true", False
                )
            )
    return Result(tuple(obs), f"{len(obs)} users not registered for password reset")


CONTROL = Control(
    id="IDN-020v1",
    title="Users are registered for self-service password reset",
    rationale="SSPR only helps users who registered their methods before they were locked out.",
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01",),
    requires=("users", "userRegistrationDetails"),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Password reset > Registration: Require users to "
            "register when signing in"
        ),
        command="(portal only) Password reset > Registration > Require users to register: Yes",
    ),
    check=check,
)
