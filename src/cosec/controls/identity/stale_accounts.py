"""Enabled accounts nobody has signed in to for longer than the stale threshold."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    users = [u for u in view.users.values() if u.enabled is not False]
    if users and all(u.last_sign_in is None for u in users):
        return not_assessed(
            "no user carries signInActivity (needs AuditLog.Read.All and Entra ID P1)"
        )
    cutoff = ctx.now - ctx.stale_after
    obs = []
    for u in sorted(users, key=lambda u: u.id):
        last = u.last_sign_in
        if last is not None and last >= cutoff:
            continue
        if last is None and (u.created is None or u.created >= cutoff):
            continue  # new account that has not signed in yet
        obs.append(
            user_obs(
                view,
                u.id,
                "signInActivity.lastSignInDateTime",
                last.isoformat() if last else None,
                f"within {ctx.stale_after.days} days",
                False,
            )
        )
    return Result(
        tuple(obs), f"{len(obs)} enabled accounts unused for {ctx.stale_after.days}+ days"
    )


CONTROL = Control(
    id="IDN-018v1",
    title="No stale enabled accounts",
    rationale="Forgotten accounts of leavers and old projects are passwords nobody watches.",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01",),
    requires=("users",),
    remediation=Remediation(
        portal="Entra admin center > Users > filter by last sign-in > disable or delete",
        command="Update-MgUser -UserId <id> -AccountEnabled:$false",
    ),
    check=check,
    decided_by="Latest of interactive, non-interactive and successful sign-in times; accounts "
    "created within the threshold that never signed in are not stale.",
)
