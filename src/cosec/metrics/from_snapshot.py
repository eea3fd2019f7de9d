"""Facts from one snapshot's raw Microsoft JSON (users, devices, scores, anti-phishing).

Parsing goes through `cosec.model`; this module only decides what each metric counts:
who is in which risk tier, which grant controls Conditional Access enforces on a user,
which endpoints are onboarded and on the patch baseline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from cosec.config import RiskTier
from cosec.metrics.facts import (
    DeviceFact,
    ImpersonationFact,
    Missing,
    ScorePoint,
    UserFact,
)
from cosec.model.directory import (
    User,
    parse_member,
    parse_registration,
    parse_role_assignment,
    parse_user,
)
from cosec.model.parse import Reader, parse_datetime
from cosec.model.policies import CaPolicy, parse_ca_policy, parse_security_defaults
from cosec.model.snapshot import Snapshot


def _missing(snapshot: Snapshot, *keys: str) -> Missing | None:
    for key in keys:
        outcome = snapshot.outcome(key)
        if not snapshot.available(key):
            detail = outcome.reason or outcome.status.value
            if outcome.permission:
                detail += f" (permission {outcome.permission})"
            if outcome.licence:
                detail += f" (licence {outcome.licence})"
            return Missing(f"{key} not read: {detail}")
    return None


def tier_members(
    snapshot: Snapshot, users: Iterable[User], tiers: Mapping[str, RiskTier]
) -> dict[str, frozenset[str]]:
    """User id → names of the risk tiers the user belongs to (see `RiskTier`)."""
    privileged: set[str] = set()
    if snapshot.available("roleAssignments"):
        privileged = {
            parse_role_assignment(r).principal_id for r in snapshot.items("roleAssignments")
        }
    group_members: dict[str, set[str]] = defaultdict(set)
    if snapshot.available("groups") and snapshot.available("groupMembers"):
        names = {str(g.get("id")): str(g.get("displayName", "")) for g in snapshot.items("groups")}
        for gid, members in snapshot.children("groupMembers").items():
            ids = {parse_member(m).id for m in members}
            group_members[gid] |= ids
            group_members[names.get(gid, gid)] |= ids
    out: dict[str, set[str]] = defaultdict(set)
    for user in users:
        for name, tier in tiers.items():
            dept = (user.department or "").casefold()
            if (
                (tier.privileged_roles and user.id in privileged)
                or dept in {d.casefold() for d in tier.departments}
                or user.id in tier.users
                or user.upn.casefold() in {u.casefold() for u in tier.users}
                or any(user.id in group_members.get(g, ()) for g in tier.groups)
            ):
                out[user.id].add(name)
    return {uid: frozenset(names) for uid, names in out.items()}


def _applies(policy: CaPolicy, user: User, groups: set[str], roles: set[str]) -> bool:
    if not (policy.enabled and policy.all_apps) or policy.include_user_actions:
        return False
    if policy.user_risk_levels or policy.sign_in_risk_levels:
        return False  # enforced only on risky sign-ins, not on every sign-in
    if policy.client_app_types and "all" not in policy.client_app_types:
        return False
    if user.id in policy.exclude_users or groups & set(policy.exclude_groups):
        return False
    if roles & set(policy.exclude_roles):
        return False
    return (
        "All" in policy.include_users
        or user.id in policy.include_users
        or bool(groups & set(policy.include_groups))
        or bool(roles & set(policy.include_roles))
    )


def _grants(policy: CaPolicy) -> set[str]:
    if policy.blocks:
        return set()
    grants = {"mfa"} if policy.requires_mfa else set()
    if policy.operator == "AND" or len(policy.built_in_controls) == 1:
        grants |= set(policy.built_in_controls)
    return grants


def user_facts(snapshot: Snapshot, tiers: Mapping[str, RiskTier]) -> tuple[UserFact, ...] | Missing:
    missing = _missing(snapshot, "users")
    if missing:
        return missing
    users = [parse_user(raw) for raw in snapshot.items("users")]
    membership = tier_members(snapshot, users, tiers)
    registered: dict[str, bool | None] | None = None
    if snapshot.available("userRegistrationDetails"):
        registered = {
            d.id: d.mfa_registered
            for d in map(parse_registration, snapshot.items("userRegistrationDetails"))
        }
    policies: list[CaPolicy] | None = None
    if snapshot.available("conditionalAccessPolicies"):
        policies = [parse_ca_policy(r) for r in snapshot.items("conditionalAccessPolicies")]
    defaults_on = False
    if snapshot.available("securityDefaults"):
        items = snapshot.items("securityDefaults")
        defaults_on = bool(items and parse_security_defaults(items[0]).enabled)
    user_groups: dict[str, set[str]] = defaultdict(set)
    if snapshot.available("groupMembers"):
        for gid, members in snapshot.children("groupMembers").items():
            for m in members:
                user_groups[parse_member(m).id].add(gid)
    user_roles: dict[str, set[str]] = defaultdict(set)
    if snapshot.available("roleAssignments"):
        for a in map(parse_role_assignment, snapshot.items("roleAssignments")):
            user_roles[a.principal_id].add(a.role_definition_id)
    out: list[UserFact] = []
    for user in users:
        enforced: frozenset[str] | None = None
        if defaults_on:
            enforced = frozenset({"mfa"})
        elif policies is not None:
            grants: set[str] = set()
            for p in policies:
                if _applies(p, user, user_groups[user.id], user_roles[user.id]):
                    grants |= _grants(p)
            enforced = frozenset(grants)
        out.append(
            UserFact(
                id=user.id,
                upn=user.label,
                enabled=bool(user.enabled),
                member=not user.is_guest,
                tiers=membership.get(user.id, frozenset()),
                mfa_registered=None if registered is None else bool(registered.get(user.id)),
                enforced_grants=enforced,
            )
        )
    return tuple(out)


_VERSION_PART = re.compile(r"\d+")


def version_at_least(version: str, minimum: str) -> bool:
    """Compare dotted versions numerically ('10.0.26100.1' ≥ '10.0.26100')."""
    have = [int(p) for p in _VERSION_PART.findall(version)]
    need = [int(p) for p in _VERSION_PART.findall(minimum)]
    return bool(have) and have[: len(need)] + [0] * (len(need) - len(have)) >= need


def _platform(os_name: str) -> str:
    lowered = os_name.casefold()
    for family in ("windows", "macos", "ios", "android", "linux"):
        if lowered.startswith(family) or (family == "macos" and lowered.startswith("mac")):
            return family
    return lowered


def device_facts(
    snapshot: Snapshot, baseline: Mapping[str, str]
) -> tuple[DeviceFact, ...] | Missing:
    """Endpoints known to Intune or Defender, with onboarding and patch level.

    Without Intune the known endpoints are Defender's machines; without Defender for
    Endpoint there is no coverage to measure.
    """
    missing = _missing(snapshot, "mdeMachines")
    if missing:
        return missing
    floors = {_platform(k): v for k, v in baseline.items()}
    machines = {}
    for raw in snapshot.items("mdeMachines"):
        r = Reader(raw)
        name = (r.text("computerDnsName") or r.text("id")).split(".")[0].casefold()
        machines[name] = raw
    devices: dict[str, DeviceFact] = {}

    def judge(os_name: str, version: str) -> bool | None:
        floor = floors.get(_platform(os_name))
        return None if floor is None or not version else version_at_least(version, floor)

    for name, raw in machines.items():
        r = Reader(raw)
        os_name = r.text("osPlatform")
        build = r.integer("osBuild")
        version = r.text("osVersion") or (
            f"10.0.{build}" if build and _platform(os_name) == "windows" else ""
        )
        onboarded = r.text("onboardingStatus", "Onboarded").casefold() == "onboarded"
        devices[name] = DeviceFact(name, name, os_name, version, onboarded, judge(os_name, version))
    if snapshot.available("managedDevices"):
        for raw in snapshot.items("managedDevices"):
            r = Reader(raw)
            name = r.text("deviceName").split(".")[0].casefold()
            os_name, version = r.text("operatingSystem"), r.text("osVersion")
            known = devices.get(name)
            devices[name] = DeviceFact(
                id=r.text("id"),
                name=name,
                os=os_name,
                os_version=version,
                edr_onboarded=known.edr_onboarded if known else False,
                on_patch_baseline=judge(os_name, version),
            )
    return tuple(devices.values())


def secure_scores(snapshot: Snapshot) -> tuple[ScorePoint, ...] | Missing:
    missing = _missing(snapshot, "secureScores")
    if missing:
        return missing
    out = []
    for raw in snapshot.items("secureScores"):
        r = Reader(raw)
        at, score, best = (
            r.timestamp("createdDateTime"),
            r.number("currentScore"),
            r.number("maxScore"),
        )
        if at and score is not None and best:
            out.append(ScorePoint(at, score, best))
    return tuple(sorted(out, key=lambda p: p.at))


def _address(entry: str) -> str:
    """TargetedUsersToProtect entries are 'Display Name;address'."""
    return entry.rsplit(";", 1)[-1].strip().casefold()


def impersonation_facts(
    snapshot: Snapshot, users: tuple[UserFact, ...] | Missing, tiers: Iterable[str]
) -> tuple[tuple[ImpersonationFact, ...] | Missing, datetime | Missing | None]:
    """Executive/finance users protected by targeted user protection; last policy change."""
    missing = _missing(snapshot, "antiPhishPolicies", "antiPhishRules")
    if missing:
        return missing, missing
    if isinstance(users, Missing):
        return users, users
    rules = {
        str(r.get("AntiPhishPolicy") or r.get("Name")): str(r.get("State", "Enabled"))
        for r in snapshot.items("antiPhishRules")
    }
    protected: set[str] = set()
    changed: list[datetime] = []
    for raw in [*snapshot.items("antiPhishPolicies"), *snapshot.items("antiPhishRules")]:
        when = parse_datetime(raw.get("WhenChangedUTC") or raw.get("WhenChanged"))
        if when:
            changed.append(when)
    for policy in snapshot.items("antiPhishPolicies"):
        name = str(policy.get("Name") or policy.get("Identity") or "")
        active = bool(policy.get("IsDefault")) or rules.get(name, "").casefold() == "enabled"
        if active and policy.get("Enabled", True) and policy.get("EnableTargetedUserProtection"):
            protected |= {_address(str(e)) for e in policy.get("TargetedUsersToProtect") or ()}
    wanted = set(tiers)
    facts = tuple(
        ImpersonationFact(user=u.upn, tier=tier, protected=u.upn.casefold() in protected)
        for u in users
        if u.enabled and u.member
        for tier in sorted(u.tiers & wanted)
    )
    return facts, max(changed) if changed else None
