"""Privileged accounts hold no mailbox licence (reduced application footprint)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import break_glass_ids, user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    mailbox_skus = view.mailbox_sku_ids
    glass = break_glass_ids(view, ctx.break_glass_accounts)
    obs = []
    for uid in sorted(view.privileged_users - glass):
        user = view.users.get(uid)
        if user is None:
            continue
        held = sorted(set(user.sku_ids) & mailbox_skus)
        if held:
            names = [s.sku_part_number for s in view.skus if s.sku_id in held]
            obs.append(
                user_obs(view, uid, "assignedLicenses", names, "no Exchange Online plan", False)
            )
    return Result(tuple(obs), f"{len(obs)} privileged accounts can receive mail")


CONTROL = Control(
    id="IDN-014v1",
    title="Administrative accounts have no mailbox",
    rationale=(
        "An admin account that reads mail and browses can be phished; keep it for administration "
        "only."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("1.1.4",),
    requires=("users", "subscribedSkus", "roleAssignments", "groupMembers"),
    optional=("roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Users > (admin) > Licenses and apps: assign Entra ID P2 "
            "only"
        ),
        command=(
            "Set-MgUserLicense -UserId <id> -RemoveLicenses @('<sku with EXCHANGE_S_*>') "
            "-AddLicenses @()"
        ),
    ),
    check=check,
)
