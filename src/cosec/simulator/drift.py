"""Occasional administrative changes during a tenant's window, each with its audit."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from cosec.simulator import policies as pol
from cosec.simulator.seeding import at, rng

if TYPE_CHECKING:
    from cosec.simulator.tenant import SimTenant


def drift(t: SimTenant, late_exclusion: str | None) -> None:
    """An undocumented MFA exclusion added mid-window, and guest invitations opened up."""
    window = (t.last_day - t.first_day).days
    actor = t.admin_actor()
    if window < 2 or actor is None:
        return
    r = rng(t.seed, "drift")
    if late_exclusion is not None:
        day = t.first_day + timedelta(days=max(1, window * 2 // 5))
        pid = t.policy_id(pol.MFA_ALL)
        policy = t.graph["conditionalAccessPolicies"].get(pid, day)
        assert policy is not None
        users = policy["conditions"]["users"]
        conditions = {
            **policy["conditions"],
            "users": {**users, "excludeUsers": [*users["excludeUsers"], late_exclusion]},
        }
        t.apply_change(
            "conditionalAccessPolicy", pid, {"conditions": conditions}, actor, at(day, 15, 12)
        )
    if r.random() < 0.5:
        day = t.first_day + timedelta(days=r.randint(1, window))
        t.apply_change(
            "authorizationPolicy",
            "authorizationPolicy",
            {"allowInvitesFrom": "everyone"},
            actor,
            at(day, 11, 3),
        )
