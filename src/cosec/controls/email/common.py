"""Shared by the email controls: which anti-phishing policies are actually in force."""

from __future__ import annotations

from cosec.controls.base import ObjectRef, Observation, Result, observe
from cosec.model.exchange import AntiPhishPolicy
from cosec.model.view import TenantView

# Preset security policy rules: the anti-phishing policy of a Standard/Strict preset is
# applied by these rules, not by Get-AntiPhishRule (read when available).
PRESET_RULES = ("eopProtectionPolicyRules", "atpProtectionPolicyRules")


def preset_antiphish_policies(view: TenantView) -> set[str]:
    """Anti-phishing policies a Standard/Strict preset applies to someone."""
    found: set[str] = set()
    if view.available("eopProtectionPolicyRules"):
        found |= {r.anti_phish_policy for r in view.eop_preset_rules if r.applies}
    if view.available("atpProtectionPolicyRules"):
        found |= {r.anti_phish_policy for r in view.atp_preset_rules if r.applies}
    return found - {""}


def policies_in_force(view: TenantView) -> list[AntiPhishPolicy]:
    """Enabled policies that apply to someone: the default, one with an enabled rule, or
    one a Standard/Strict preset security policy applies."""
    ruled = {r.policy for r in view.antiphish_rules if r.enabled} | preset_antiphish_policies(view)
    return [
        p
        for p in view.antiphish_policies
        if p.enabled is not False and (p.is_default or p.name in ruled)
    ]


def antiphish_obs(
    policy: AntiPhishPolicy, path: str, observed: object, expected: str, ok: bool
) -> Observation:
    return Observation(
        ObjectRef("antiPhishPolicies", policy.name, policy.name), path, observed, expected, ok
    )


def no_policy_in_force() -> Result:
    """The failing result when no anti-phishing policy is in force at all."""
    return Result(
        (
            observe(
                "antiPhishPolicies",
                "(none)",
                "anti-phishing policies",
                "in force",
                0,
                "1 or more",
                False,
            ),
        ),
        "no anti-phishing policy in force",
    )
