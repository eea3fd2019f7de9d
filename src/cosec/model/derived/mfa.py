"""MFA enforced for a user: the one definition.

A user is *MFA-enforced* when every sign-in to every app must pass MFA: security
defaults are on, or an *always-on* Conditional Access policy applies to the user and its
grant requires MFA (or an authentication strength, which implies it). Always-on means
enabled (report-only enforces nothing), all cloud apps, no user-action target, no
sign-in-risk or user-risk condition and no client-app restriction.

A policy requiring MFA only for risky sign-ins or for some client apps is *additional*
protection: it raises the bar when it fires, but an ordinary sign-in passes without MFA,
so it never counts as enforcement.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.model.policies import CaPolicy
from cosec.model.view import TenantView

SECURITY_DEFAULTS = "security defaults"
CONDITIONAL_ACCESS = "conditional access"
NOTHING = "nothing"


def always_on(policy: CaPolicy) -> bool:
    """Enforced on every sign-in to every app (not only risky ones or some clients)."""
    return (
        policy.enabled
        and policy.all_apps
        and not policy.include_user_actions
        and not (policy.user_risk_levels or policy.sign_in_risk_levels)
        and (not policy.client_app_types or "all" in policy.client_app_types)
    )


def grant_controls(policy: CaPolicy) -> frozenset[str]:
    """Grant controls a signing-in user cannot avoid (`mfa` when the grant needs MFA)."""
    if policy.blocks:
        return frozenset()
    grants = {"mfa"} if policy.requires_mfa else set()
    if policy.operator == "AND" or len(policy.built_in_controls) == 1:
        grants |= set(policy.built_in_controls)
    return frozenset(grants)


def phishing_resistant(policy: CaPolicy) -> bool:
    """Every method combination the policy's strength allows is phishing-resistant.

    Decided by the strength's allowedCombinations (cosec.model.strength), never its name:
    a custom strength of FIDO2/WHfB/certificate counts, a renamed weak one does not.
    """
    return policy.strength is not None and policy.strength.phishing_resistant


def enforces_mfa(policy: CaPolicy, *, phishing_resistant_only: bool = False) -> bool:
    """An always-on policy whose grant requires MFA (phishing-resistant when asked)."""
    if not (always_on(policy) and policy.requires_mfa):
        return False
    return phishing_resistant(policy) or not phishing_resistant_only


def additional_mfa(policy: CaPolicy) -> bool:
    """Enabled, requires MFA, but only under a condition: protection, not enforcement."""
    return policy.enabled and policy.requires_mfa and not always_on(policy)


def ca_policies(view: TenantView) -> list[CaPolicy]:
    """The tenant's CA policies; none when it lacks the licence (absence, not missing data).

    A permission problem raises `ResourceUnavailable` from the view.
    """
    if view.snapshot.outcome("conditionalAccessPolicies").unlicensed:
        return []
    return view.ca_policies


def security_defaults_on(view: TenantView) -> bool:
    return bool(view.available("securityDefaults") and view.security_defaults.enabled)


@dataclass(frozen=True)
class MfaEnforcement:
    """Who must use MFA on every sign-in, and by what."""

    by: str  # SECURITY_DEFAULTS | CONDITIONAL_ACCESS | NOTHING
    policies: tuple[CaPolicy, ...]  # the always-on policies that enforce it
    additional: tuple[CaPolicy, ...]  # conditional MFA policies: not enforcement
    report_only: tuple[CaPolicy, ...]  # MFA policies in report-only mode: not enforcement
    users: frozenset[str]  # user ids enforced

    def enforced(self, user_id: str) -> bool:
        return user_id in self.users


def mfa_enforcement(view: TenantView, *, phishing_resistant_only: bool = False) -> MfaEnforcement:
    """The one answer to "is MFA enforced for this user?" over a tenant view.

    Security defaults enforce (non-phishing-resistant) MFA for everyone. Raises
    `ResourceUnavailable` when the policies, or the groups and roles they target, could
    not be read.
    """
    if security_defaults_on(view) and not phishing_resistant_only:
        return MfaEnforcement(SECURITY_DEFAULTS, (), (), (), frozenset(view.users))
    policies = ca_policies(view)
    enforcing = tuple(
        p for p in policies if enforces_mfa(p, phishing_resistant_only=phishing_resistant_only)
    )
    users: set[str] = set()
    for p in enforcing:
        users |= view.policy_users(p)
    return MfaEnforcement(
        CONDITIONAL_ACCESS if enforcing else NOTHING,
        enforcing,
        tuple(p for p in policies if additional_mfa(p)),
        tuple(
            p for p in policies if p.state == "enabledForReportingButNotEnforced" and p.requires_mfa
        ),
        frozenset(users & set(view.users)),
    )


def enforced_grants(view: TenantView) -> dict[str, frozenset[str]]:
    """User id → grant controls every sign-in of the user must satisfy.

    `mfa` is in a user's set exactly when `mfa_enforcement(view)` enforces the user.
    Raises `ResourceUnavailable` like `mfa_enforcement`.
    """
    if security_defaults_on(view):
        return {uid: frozenset({"mfa"}) for uid in view.users}
    found: dict[str, set[str]] = {uid: set() for uid in view.users}
    for policy in filter(always_on, ca_policies(view)):
        grants = grant_controls(policy)
        for uid in view.policy_users(policy):
            if uid in found:
                found[uid] |= grants
    return {uid: frozenset(g) for uid, g in found.items()}
