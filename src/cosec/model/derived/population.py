"""Populations: enabled members, the privileged, a risk tier — break-glass kept apart.

Break-glass accounts are excluded from Conditional Access by design (IDN-009 requires
it), so every coverage figure leaves them out of its population and reports them
separately: never silently counted as a gap, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cosec.model.view import TenantView, TierRule


def break_glass_ids(view: TenantView, accounts: Iterable[str]) -> frozenset[str]:
    """User ids of the declared break-glass accounts (UPN or id) that exist in the tenant."""
    found = set()
    for ref in accounts:
        user = view.users.get(ref) or view.users_by_upn.get(ref.lower())
        if user is not None:
            found.add(user.id)
    return frozenset(found)


@dataclass(frozen=True)
class Population:
    """User ids a figure is computed over, and the break-glass accounts set aside."""

    members: frozenset[str]
    break_glass: frozenset[str]


def _split(ids: Iterable[str], glass: frozenset[str]) -> Population:
    found = frozenset(ids)
    return Population(found - glass, found & glass)


def enabled_members(view: TenantView, break_glass: Iterable[str]) -> Population:
    """Enabled member accounts (guests and disabled accounts are not in it)."""
    return _split(view.enabled_members, break_glass_ids(view, break_glass))


def privileged(view: TenantView, break_glass: Iterable[str]) -> Population:
    """Holders of highly privileged roles (active, and eligible when readable)."""
    return _split(view.privileged_users, break_glass_ids(view, break_glass))


def tier(view: TenantView, rule: TierRule, break_glass: Iterable[str]) -> Population:
    """Enabled members of a risk tier by the tier's own rules, whatever its name."""
    members = set(view.enabled_members)
    return _split(
        (u for u in view.tier_members(rule) if u in members), break_glass_ids(view, break_glass)
    )


def people_tiers(tiers: Mapping[str, TierRule]) -> dict[str, TierRule]:
    """Tiers defined by who people are — groups, departments or users — not only by
    holding a privileged role: the executives, finance staff and others attackers
    impersonate, whatever the tiers are named."""
    return {n: t for n, t in tiers.items() if t.groups or t.departments or t.users}
