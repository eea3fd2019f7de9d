"""Building blocks the checks share (pure functions over the tenant view)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from cosec.controls.base import ObjectRef, Observation, Result, observe
from cosec.model.policies import CaPolicy
from cosec.model.view import TenantView

PHISHING_RESISTANT_STRENGTH = "00000000-0000-0000-0000-000000000004"
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


def ca_policies(view: TenantView) -> list[CaPolicy]:
    """CA policies; none when the tenant lacks the licence (absence, not missing data).

    A permission problem still raises `ResourceUnavailable` → not_assessed.
    """
    if view.snapshot.outcome("conditionalAccessPolicies").unlicensed:
        return []
    return view.ca_policies


def mfa_policies(view: TenantView, *, phishing_resistant: bool = False) -> list[CaPolicy]:
    """Enabled policies requiring MFA (or the phishing-resistant strength) for all apps."""
    out = []
    for p in ca_policies(view):
        if not (p.enabled and p.all_apps and p.requires_mfa):
            continue
        if phishing_resistant and not _phishing_resistant(p):
            continue
        out.append(p)
    return out


def _phishing_resistant(policy: CaPolicy) -> bool:
    strength = (policy.authentication_strength or "").lower()
    return strength == PHISHING_RESISTANT_STRENGTH or "phishing" in strength


def covered(view: TenantView, policies: Iterable[CaPolicy]) -> set[str]:
    """User ids any of the given policies applies to."""
    found: set[str] = set()
    for p in policies:
        found |= view.policy_users(p)
    return found


def security_defaults_on(view: TenantView) -> bool:
    return bool(view.available("securityDefaults") and view.security_defaults.enabled)


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


@lru_cache(maxsize=4096)
def version_tuple(version: str) -> tuple[int, ...] | None:
    """'10.0.26100.1234' → (10, 0, 26100, 1234); None when not a dotted number."""
    parts = version.strip().split(".")
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def break_glass_ids(view: TenantView, upns: Iterable[str]) -> set[str]:
    """User ids of the declared break-glass accounts that exist in the tenant."""
    found = set()
    for upn in upns:
        user = view.users_by_upn.get(upn.lower())
        if user is not None:
            found.add(user.id)
    return found


def coverage_result(
    view: TenantView,
    population: Iterable[str],
    policies: list[CaPolicy],
    *,
    what: str,
    expected: str,
    skip: set[str] | None = None,
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
