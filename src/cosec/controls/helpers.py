"""Building blocks the checks share (pure functions over the tenant view).

Derived facts other parts of cosec read too (MFA enforcement, break-glass accounts,
populations) are defined once in `cosec.model.derived` and re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from datetime import datetime

from cosec.controls.base import ObjectRef, Observation, Result, observe
from cosec.model.derived.mfa import MfaEnforcement, ca_policies, security_defaults_on
from cosec.model.derived.population import Population, break_glass_ids
from cosec.model.policies import CaPolicy
from cosec.model.view import TenantView

__all__ = ["break_glass_ids", "ca_policies", "security_defaults_on"]

PHISHING_RESISTANT_METHODS = frozenset(
    {
        "fido2SecurityKey",
        "windowsHelloForBusiness",
        "passKeyDeviceBound",
        "passKeyDeviceBoundAuthenticator",
        "x509Certificate",
    }
)


def user_ref(view: TenantView, user_id: str) -> ObjectRef:
    return ObjectRef("users", user_id, view.user_label(user_id))


def user_obs(
    view: TenantView, user_id: str, path: str, observed: object, expected: str, ok: bool
) -> Observation:
    return Observation(user_ref(view, user_id), path, observed, expected, ok)


def policy_obs(
    policy: CaPolicy, path: str, observed: object, expected: str, ok: bool
) -> Observation:
    ref = ObjectRef("conditionalAccessPolicies", policy.id, policy.display_name)
    return Observation(ref, path, observed, expected, ok)


def covered(view: TenantView, policies: Iterable[CaPolicy]) -> set[str]:
    """User ids any of the given policies applies to."""
    found: set[str] = set()
    for p in policies:
        found |= view.policy_users(p)
    return found


def security_defaults_result(summary: str) -> Result:
    """The passing result when security defaults are on and so enforce the control."""
    sd = observe(
        "securityDefaults",
        "securityDefaults",
        "Security defaults",
        "isEnabled",
        True,
        "true",
        True,
    )
    return Result((sd,), summary)


def age_days(now: datetime, then: datetime | None) -> int | None:
    return None if then is None else (now - then).days


def coverage_result(
    view: TenantView,
    population: Iterable[str],
    policies: list[CaPolicy],
    *,
    what: str,
    expected: str,
    skip: AbstractSet[str] | None = None,
) -> tuple[list[Observation], int]:
    """Observations: each policy counted (ok) and each uncovered user (not ok)."""
    cov = covered(view, policies)
    obs = [
        policy_obs(p, "state", p.state, "enabled", True)
        for p in sorted(policies, key=lambda p: p.display_name)
    ]
    missing = 0
    for uid in sorted(population):
        if uid in cov or (skip and uid in skip):
            continue
        missing += 1
        obs.append(user_obs(view, uid, f"conditionalAccess.{what}", "not covered", expected, False))
    return obs, missing


def mfa_not_counted(enforcement: MfaEnforcement) -> str:
    """Summary suffix naming the MFA policies that are not enforcement, and why."""
    notes = []
    if enforcement.additional:
        names = ", ".join(sorted(p.display_name for p in enforcement.additional))
        notes.append(f"conditional (risk or client-app) MFA policies not counted: {names}")
    if enforcement.report_only:
        names = ", ".join(sorted(p.display_name for p in enforcement.report_only))
        notes.append(f"report-only policies not counted: {names}")
    return "".join(f"; {n}" for n in notes)


def glass_note(population: Population) -> str:
    """Summary suffix naming how many break-glass accounts the population leaves out."""
    n = len(population.break_glass)
    if not n:
        return ""
    return f"; {n} break-glass account{'s' * (n != 1)} reported separately, not counted"
