"""Two emergency-access (break-glass) accounts exist, enabled, cloud-only, Global Admin."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import GLOBAL_ADMIN, TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    declared = ctx.break_glass_accounts
    obs: list[Observation] = [
        observe(
            "workspace",
            "break_glass_accounts",
            "cosec.yaml tenants[].break_glass_accounts",
            "count",
            len(declared),
            "2 or more",
            len(declared) >= 2,
        )
    ]
    global_admins = set(view.active_role_holders.get(GLOBAL_ADMIN, {}))
    for upn in declared:
        user = view.users_by_upn.get(upn.lower())
        if user is None:
            obs.append(observe("users", upn, upn, "userPrincipalName", None, "exists", False))
            continue
        obs.append(
            user_obs(view, user.id, "accountEnabled", user.enabled, "true", user.enabled is True)
        )
        obs.append(
            user_obs(
                view,
                user.id,
                "onPremisesSyncEnabled",
                user.on_premises_sync,
                "false",
                not user.on_premises_sync,
            )
        )
        has_ga = user.id in global_admins
        obs.append(
            user_obs(
                view,
                user.id,
                "roles",
                "Global Administrator" if has_ga else None,
                "Global Administrator (active)",
                has_ga,
            )
        )
    return Result(tuple(obs), f"{len(declared)} break-glass accounts declared")


CONTROL = Control(
    id="IDN-008v1",
    title="Two break-glass accounts are ready for emergencies",
    rationale=(
        "When Conditional Access or MFA locks every administrator out, only an emergency account "
        "gets the tenant back."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05", "PR.IR-03"),
    cis=("1.1.2",),
    requires=("users", "roleAssignments", "groupMembers"),
    optional=("roleDefinitions",),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Users > Add a user (cloud-only, onmicrosoft.com domain), "
            "assign Global Administrator; list it in cosec.yaml break_glass_accounts"
        ),
        command=(
            "New-MgUser -AccountEnabled -UserPrincipalName bg1@<tenant>.onmicrosoft.com …; "
            "New-MgRoleManagementDirectoryRoleAssignment -RoleDefinitionId "
            "62e90394-69f5-4237-9190-012177145e10 -PrincipalId <id> -DirectoryScopeId /"
        ),
    ),
    check=check,
)
