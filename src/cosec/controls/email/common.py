"""Shared by the email controls: which anti-phishing policies are actually in force."""

from __future__ import annotations

from cosec.controls.base import ObjectRef, Observation, Result, observe
from cosec.model.exchange import AntiPhishPolicy
from cosec.model.view import TenantView


def policies_in_force(view: TenantView) -> list[AntiPhishPolicy]:
    """Enabled policies that apply to someone: the default, or one with an enabled rule."""
    ruled = {r.policy for r in view.antiphish_rules if r.enabled}
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
