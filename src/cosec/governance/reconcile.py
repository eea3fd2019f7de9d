"""Reconciling policy exclusions with the exception register.

An exclusion from an enforced Conditional Access policy or from anti-phishing protection
is a standing risk acceptance. Each must be covered by a valid exception naming the
excluded principal in its scope, or be a registered break-glass account; every other
exclusion is reported with the policy and the principal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cosec.model.derived.mfa import enforces_mfa, mfa_enforcement
from cosec.model.governance import ExceptionGrant
from cosec.model.policies import parse_ca_policy
from cosec.model.snapshot import JsonObject, ResourceUnavailable, Snapshot
from cosec.model.view import TenantView

CA = "conditionalAccessPolicies"
RULES = "antiPhishRules"
POLICIES = "antiPhishPolicies"

_RULE_FIELDS = {
    "ExceptIfSentTo": "recipient",
    "ExceptIfSentToMemberOf": "group",
    "ExceptIfRecipientDomainIs": "domain",
}
_POLICY_FIELDS = {"ExcludedSenders": "sender", "ExcludedDomains": "sender domain"}


@dataclass(frozen=True)
class Exclusion:
    resource: str
    policy_id: str
    policy_name: str
    principal: str
    principal_kind: str  # user | group | recipient | domain | sender | sender domain
    covered_by: str | None = None  # exception id or "break-glass"
    # users the exclusion leaves with no MFA enforced at all (by the one definition in
    # cosec.model.derived.mfa): the gap IDN-001/IDN-002 and the CA coverage metric report
    mfa_unenforced: tuple[str, ...] = ()

    def describe(self) -> str:
        n = len(self.mfa_unenforced)
        gap = f"; leaves {n} user{'s' * (n != 1)} without MFA enforced" if n else ""
        return (
            f"{self.principal_kind} {self.principal} excluded from {self.policy_name} "
            f"({self.resource}{gap})"
        )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _ca_exclusions(policy: JsonObject) -> Iterable[tuple[str, str]]:
    if policy.get("state") != "enabled":
        return  # report-only or disabled policies enforce nothing to be excluded from
    users = (policy.get("conditions") or {}).get("users") or {}
    for uid in _strings(users.get("excludeUsers")):
        yield uid, "user"
    for gid in _strings(users.get("excludeGroups")):
        yield gid, "group"


def _enabled_exchange(obj: JsonObject) -> bool:
    state = obj.get("State", "Enabled")
    return obj.get("Enabled", True) is not False and str(state).lower() != "disabled"


def _unenforced(view: TenantView) -> Callable[[JsonObject, str, str], tuple[str, ...]]:
    """For an exclusion from an MFA-enforcing policy: the excluded users left without MFA."""
    try:
        enforced = mfa_enforcement(view).users
    except ResourceUnavailable:
        return lambda _p, _who, _kind: ()  # who is enforced cannot be decided

    def left(policy: JsonObject, who: str, kind: str) -> tuple[str, ...]:
        if not enforces_mfa(parse_ca_policy(policy)):
            return ()
        try:
            users = {who} if kind == "user" else view.members_of([who])
        except ResourceUnavailable:
            return ()
        return tuple(sorted(u for u in users if u in view.enabled_members and u not in enforced))

    return left


def exclusions(snapshot: Snapshot) -> list[Exclusion]:
    """Every exclusion in the readable resources of the snapshot."""
    found: list[Exclusion] = []
    if snapshot.available(CA):
        left = _unenforced(TenantView(snapshot))
        for p in snapshot.items(CA):
            pid, name = str(p.get("id", "")), str(p.get("displayName") or p.get("id", ""))
            found.extend(
                Exclusion(CA, pid, name, who, kind, mfa_unenforced=left(p, who, kind))
                for who, kind in _ca_exclusions(p)
            )
    for resource, fields in ((RULES, _RULE_FIELDS), (POLICIES, _POLICY_FIELDS)):
        if not snapshot.available(resource):
            continue
        for obj in snapshot.items(resource):
            if not _enabled_exchange(obj):
                continue
            oid = str(obj.get("Identity") or obj.get("Guid") or obj.get("Name") or "")
            name = str(obj.get("Name") or oid)
            for field, kind in fields.items():
                found.extend(
                    Exclusion(resource, oid, name, who, kind) for who in _strings(obj.get(field))
                )
    return found


def _aliases(snapshot: Snapshot) -> dict[str, set[str]]:
    """User id ↔ UPN, so a scope or break-glass entry may name either."""
    if not snapshot.available("users"):
        return {}
    out: dict[str, set[str]] = {}
    for u in snapshot.items("users"):
        uid, upn = u.get("id"), u.get("userPrincipalName")
        if isinstance(uid, str) and isinstance(upn, str):
            names = {uid, upn.lower()}
            out[uid] = names
            out[upn.lower()] = names
    return out


def reconcile(
    snapshot: Snapshot, grants: Iterable[ExceptionGrant], break_glass: Iterable[str]
) -> list[Exclusion]:
    """All exclusions, each with what covers it (None: uncovered, a finding)."""
    aliases = _aliases(snapshot)

    def names(principal: str) -> set[str]:
        return aliases.get(principal.lower(), aliases.get(principal, {principal.lower()}))

    glass = {n for b in break_glass for n in names(b)}
    valid = [g for g in grants if g.tenant == snapshot.tenant]
    scoped = [(g.id, {n for s in g.scope for n in names(s)}) for g in valid]
    result = []
    for ex in exclusions(snapshot):
        who = names(ex.principal)
        cover: str | None = "break-glass" if who & glass else None
        if cover is None:
            cover = next((gid for gid, scope in scoped if who & scope), None)
        result.append(
            Exclusion(
                ex.resource,
                ex.policy_id,
                ex.policy_name,
                ex.principal,
                ex.principal_kind,
                cover,
                # break-glass accounts are outside MFA enforcement by design, not a gap
                tuple(u for u in ex.mfa_unenforced if u not in glass),
            )
        )
    return result


def uncovered(
    snapshot: Snapshot, grants: Iterable[ExceptionGrant], break_glass: Iterable[str]
) -> list[Exclusion]:
    return [e for e in reconcile(snapshot, grants, break_glass) if e.covered_by is None]


def exposed_principals(snapshot: Snapshot) -> set[str]:
    """Every name (id and UPN) of every principal excluded somewhere in the snapshot.

    An expired exception whose scope is still in this set is still relied on.
    """
    aliases = _aliases(snapshot)
    out: set[str] = set()
    for ex in exclusions(snapshot):
        out |= aliases.get(ex.principal.lower(), aliases.get(ex.principal, set()))
        out |= {ex.principal, ex.principal.lower()}
    return out
