"""Targeted-user impersonation protection covers every executive and finance user."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed
from cosec.controls.context import AssessmentContext
from cosec.controls.email.common import PRESET_RULES, antiphish_obs, policies_in_force
from cosec.controls.helpers import user_obs
from cosec.model.derived import population
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    tiers = population.people_tiers(ctx.risk_tiers)
    if not tiers:
        return not_assessed("no executive/finance risk tier defined in cosec.yaml")
    protecting = [p for p in policies_in_force(view) if p.targeted_user_protection]
    protected: set[str] = set()
    for p in protecting:
        protected |= p.protected_addresses
    obs = [antiphish_obs(p, "EnableTargetedUserProtection", True, "true", True) for p in protecting]
    members = set().union(*(population.tier(view, t, ()).members for t in tiers.values()))
    for uid in sorted(members):
        user = view.users[uid]
        addresses = {a.lower() for a in (user.mail, user.upn) if a}
        if not addresses & protected:
            obs.append(
                user_obs(
                    view,
                    uid,
                    "TargetedUsersToProtect",
                    "not listed",
                    "listed in an enabled anti-phishing policy",
                    False,
                )
            )
    return Result(
        tuple(obs), f"{sum(not o.ok for o in obs)} tier members not protected against impersonation"
    )


CONTROL = Control(
    id="EML-001v1",
    title="Executives and finance staff are protected against impersonation",
    rationale=(
        "Invoice fraud impersonates the CEO to the finance clerk; the policy flags look-alike "
        "senders."
    ),
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("PR.AA-03", "DE.CM-09"),
    scuba=("MS.SECURITYSUITE.2.1v1", "MS.DEFENDER.2.1v1"),
    requires=("users", "antiPhishPolicies", "antiPhishRules"),
    optional=("groups", "groupMembers", "roleAssignments", *PRESET_RULES),
    remediation=Remediation(
        portal=(
            "Defender portal > Email & collaboration > Policies > Anti-phishing > policy > "
            "Impersonation: Enable users to protect, add each executive and finance user"
        ),
        command=(
            "Set-AntiPhishPolicy -Identity 'Office365 AntiPhish Default' "
            "-EnableTargetedUserProtection $true -TargetedUsersToProtect "
            "@{Add='CEO;ceo@contoso.com'}"
        ),
    ),
    check=check,
    decided_by="Risk tiers defined by groups, departments or users (not only by admin roles) "
    "from cosec.yaml; a user is protected when their mail or UPN is in TargetedUsersToProtect "
    "of an enabled policy that applies (the default policy, or one with an enabled rule).",
)
