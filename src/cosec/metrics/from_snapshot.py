"""Facts from one snapshot, read through the shared `TenantView`.

The view resolves risk tiers and whom each Conditional Access policy applies to, and
`cosec.model.derived` decides which grant controls are enforced on a user and which
accounts are break-glass — the same definitions the controls use; this module turns
them into facts: which endpoints are onboarded and on the patch baseline, who is
protected from impersonation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from cosec.config import RiskTier
from cosec.metrics.facts import (
    DeviceFact,
    ImpersonationFact,
    Missing,
    ScorePoint,
    UserFact,
    VulnerabilityFact,
)
from cosec.model.derived.mfa import enforced_grants, security_defaults_on
from cosec.model.derived.patch import PatchStatus, patch_status, platform_family
from cosec.model.derived.population import break_glass_ids
from cosec.model.parse import parse_datetime
from cosec.model.snapshot import ResourceUnavailable, Snapshot
from cosec.model.view import TenantView


def missing(snapshot: Snapshot, *keys: str) -> Missing | None:
    """`Missing` naming the first of `keys` the snapshot could not read, else None."""
    for key in keys:
        if not snapshot.available(key):
            outcome = snapshot.outcome(key)
            detail = outcome.reason or outcome.status.value
            if outcome.permission:
                detail += f" (permission {outcome.permission})"
            if outcome.licence:
                detail += f" (licence {outcome.licence})"
            return Missing(f"{key} not read: {detail}")
    return None


def _enforced(view: TenantView) -> dict[str, frozenset[str]] | None:
    """The shared definition (`model.derived.mfa`); None when it cannot be decided."""
    if not (security_defaults_on(view) or view.available("conditionalAccessPolicies")):
        return None
    try:
        return enforced_grants(view)
    except ResourceUnavailable:
        return None  # groups or roles the policies target could not be read


def user_facts(
    view: TenantView, tiers: Mapping[str, RiskTier], break_glass: Iterable[str] = ()
) -> tuple[UserFact, ...] | Missing:
    """Every account with its tiers and MFA state; `break_glass` (UPNs or ids) are marked."""
    snap = view.snapshot
    absent = missing(snap, "users")
    if absent:
        return absent
    try:
        membership = {name: view.tier_members(rule) for name, rule in tiers.items()}
    except ResourceUnavailable as exc:
        return Missing(f"risk tiers cannot be resolved: {exc}")
    registrations = view.registrations if snap.available("userRegistrationDetails") else None
    enforced = _enforced(view)
    glass = break_glass_ids(view, break_glass)
    out = []
    for user in view.users.values():
        reg = None if registrations is None else registrations.get(user.id)
        out.append(
            UserFact(
                id=user.id,
                upn=user.label,
                enabled=user.enabled is not False,  # as `TenantView.enabled_members` counts
                member=not user.is_guest,
                tiers=frozenset(t for t, ids in membership.items() if user.id in ids),
                mfa_registered=None if registrations is None else bool(reg and reg.mfa_registered),
                enforced_grants=None if enforced is None else enforced[user.id],
                break_glass=user.id in glass,
            )
        )
    return tuple(out)


def _short(name: str) -> str:
    return name.split(".")[0].casefold()


def device_facts(view: TenantView, baseline: Mapping[str, str]) -> tuple[DeviceFact, ...] | Missing:
    """Endpoints known to Intune or Defender, with onboarding and patch level.

    Without Intune the known endpoints are Defender's machines; without Defender for
    Endpoint there is no coverage to measure.
    """
    absent = missing(view.snapshot, "mdeMachines")
    if absent:
        return absent

    def judge(os_name: str, version: str | None) -> bool | None:
        status = patch_status(os_name, version, baseline)
        return status is PatchStatus.ON_BASELINE if status.judged else None

    builds = {str(r.get("id")): r.get("osBuild") for r in view.snapshot.items("mdeMachines")}
    devices: dict[str, DeviceFact] = {}
    for m in view.mde_machines:
        # Defender's `version` is a release name (22H2); Windows is judged by its build.
        build = builds.get(m.id)
        version = m.os_version
        if platform_family(m.os_platform) == "windows":
            version = f"10.0.{build}" if isinstance(build, int) else None
        name = _short(m.name or m.id)
        onboarded = m.onboarding_status.casefold() in ("", "onboarded")
        devices[name] = DeviceFact(
            m.id, name, m.os_platform, version or "", onboarded, judge(m.os_platform, version)
        )
    if view.snapshot.available("managedDevices"):
        for d in view.managed_devices:
            known = devices.get(_short(d.name))
            devices[_short(d.name)] = DeviceFact(
                id=d.id,
                name=_short(d.name),
                os=d.operating_system,
                os_version=d.os_version,
                edr_onboarded=known.edr_onboarded if known else False,
                on_patch_baseline=judge(d.operating_system, d.os_version),
            )
    return tuple(devices.values())


def open_vulnerabilities(view: TenantView) -> dict[tuple[str, str], tuple[str, datetime | None]]:
    """(machine id, CVE) → (severity, first seen if Defender says) for one snapshot."""
    return {
        (v.machine_id, v.id): (v.severity.casefold(), v.first_seen) for v in view.vulnerabilities
    }


def vulnerability_history(
    views: Iterable[TenantView],
) -> tuple[VulnerabilityFact, ...] | Missing:
    """Vulnerability lifetimes across snapshots (oldest first).

    First seen is Defender's own date when given, else the first snapshot showing the
    exposure; remediated is the first later snapshot without it.
    """
    facts: dict[tuple[str, str], VulnerabilityFact] = {}
    seen_any = False
    last_reason = "no snapshot with Defender vulnerabilities in the period"
    for view in views:
        absent = missing(view.snapshot, "mdeMachines", "mdeVulnerabilities")
        if absent:
            last_reason = absent.reason
            continue
        seen_any = True
        now = open_vulnerabilities(view)
        for key, fact in list(facts.items()):
            if fact.remediated_at is None and key not in now:
                facts[key] = VulnerabilityFact(
                    fact.id, fact.device_id, fact.severity, fact.first_seen, view.taken_at
                )
        for (machine, cve), (severity, first) in now.items():
            current = facts.get((machine, cve))
            if current is None or current.remediated_at is not None:
                facts[(machine, cve)] = VulnerabilityFact(
                    cve, machine, severity, first or view.taken_at, None
                )
    return tuple(facts.values()) if seen_any else Missing(last_reason)


def secure_scores(view: TenantView) -> tuple[ScorePoint, ...] | Missing:
    absent = missing(view.snapshot, "secureScores")
    if absent:
        return absent
    points = [
        ScorePoint(s.created, s.current, s.max)
        for s in view.secure_scores
        if s.created and s.current is not None and s.max
    ]
    return tuple(sorted(points, key=lambda p: p.at))


def _address(entry: str) -> str:
    """TargetedUsersToProtect entries are 'Display Name;address'."""
    return entry.rsplit(";", 1)[-1].strip().casefold()


def impersonation_facts(
    view: TenantView, users: tuple[UserFact, ...] | Missing, tiers: Iterable[str]
) -> tuple[tuple[ImpersonationFact, ...] | Missing, datetime | Missing | None]:
    """Users of `tiers` protected by targeted user protection; last policy change."""
    snap = view.snapshot
    absent = missing(snap, "antiPhishPolicies", "antiPhishRules")
    if absent:
        return absent, absent
    if isinstance(users, Missing):
        return users, users
    rule_on = {r.policy: r.enabled for r in view.antiphish_rules}
    protected: set[str] = set()
    for p in view.antiphish_policies:
        active = p.is_default or rule_on.get(p.name, False)
        if active and p.enabled is not False and p.targeted_user_protection:
            protected |= {_address(e) for e in p.targeted_users}
    changed = [
        when
        for raw in [*snap.items("antiPhishPolicies"), *snap.items("antiPhishRules")]
        if (when := parse_datetime(raw.get("WhenChangedUTC") or raw.get("WhenChanged")))
    ]
    wanted = set(tiers)
    facts = tuple(
        ImpersonationFact(user=u.upn, tier=tier, protected=u.upn.casefold() in protected)
        for u in users
        if u.enabled and u.member
        for tier in sorted(u.tiers & wanted)
    )
    return facts, max(changed) if changed else None
