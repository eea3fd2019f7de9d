"""Members of every risk tier have an app-based or stronger MFA method registered."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import PHISHING_RESISTANT_METHODS, user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

STRONG = PHISHING_RESISTANT_METHODS | {
    "microsoftAuthenticatorPush",
    "microsoftAuthenticatorPasswordless",
    "softwareOneTimePasscode",
    "hardwareOneTimePasscode",
}


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if not ctx.risk_tiers:
        return not_assessed("no risk tiers defined in cosec.yaml")
    members: dict[str, list[str]] = {}
    for name, tier in sorted(ctx.risk_tiers.items()):
        for uid in view.tier_members(tier):
            members.setdefault(uid, []).append(name)
    obs = []
    for uid in sorted(members):
        if uid not in view.enabled_members:
            continue
        reg = view.registrations.get(uid)
        methods = sorted(reg.methods) if reg else []
        ok = bool(STRONG & set(methods))
        obs.append(
            user_obs(
                view,
                uid,
                "userRegistrationDetails.methodsRegistered",
                methods,
                f"app or key method (tiers: {', '.join(members[uid])})",
                ok,
            )
        )
    return Result(
        tuple(obs),
        f"{sum(not o.ok for o in obs)} of {len(obs)} tier members rely on phone or email codes",
    )


CONTROL = Control(
    id="IDN-024v1",
    title="Risk-tier members use app-based or stronger MFA",
    rationale=(
        "Executives, finance staff and admins are targeted first; SMS codes are not enough for "
        "them."
    ),
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    requires=("users", "userRegistrationDetails", "roleAssignments", "groupMembers"),
    optional=("groups", "roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal=(
            "Entra admin center > Protection > Authentication methods > Registration campaign "
            "targeted at the tier's group"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy "
            '{"registrationEnforcement":{"authenticationMethodsRegistrationCampaign":'
            '{"state":"enabled","includeTargets":[{"id":"<tier group>","targetType":"group",'
            '"targetedAuthenticationMethod":"microsoftAuthenticator"}]}}}'
        ),
    ),
    check=check,
    decided_by="Tier membership from cosec.yaml risk_tiers (privileged roles, groups, "
    "departments, users) resolved against the snapshot.",
)
