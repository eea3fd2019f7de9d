"""Identity: unusual sign-ins, Identity Protection risk, MFA changes, legacy auth."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta

from cosec.config import Severity
from cosec.detect.rules import DetectionInput, Evidence, Hit, HitBuilder, Rule
from cosec.model.events import RiskDetection, SignIn, norm
from cosec.model.governance import ControlArea

# Faster than an airliner between two places far enough apart to rule out geo-IP noise.
MAX_TRAVEL_KMH = 1000.0
MIN_TRAVEL_KM = 500.0
MFA_CHANGE_WINDOW = timedelta(hours=24)
RISKY_LEVELS = frozenset({"medium", "high"})


def _user_key(s: SignIn) -> str:
    return (s.user_id or s.user_principal_name or "?").lower()


def _distance_km(a: SignIn, b: SignIn) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _unusual_sign_in(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(UNUSUAL_SIGN_IN)
    known: dict[str, set[str]] = defaultdict(set)
    for s in data.history.sign_ins:
        if s.succeeded and s.country:
            known[_user_key(s)].add(s.country.upper())
    new = sorted(
        (s for s in data.events.sign_ins if s.succeeded and s.created_at is not None),
        key=lambda s: s.created_at or data.now,
    )
    last: dict[str, SignIn] = {}
    for s in data.history.sign_ins:
        if s.succeeded and s.created_at is not None:
            prev = last.get(_user_key(s))
            if prev is None or (prev.created_at or s.created_at) < s.created_at:
                last[_user_key(s)] = s
    for s in new:
        assert s.created_at is not None
        key = _user_key(s)
        user = data.upn(s.user_id, s.user_principal_name)
        country = (s.country or "").upper()
        if country and known[key] and country not in known[key]:
            hits.add(
                (user, "country", country),
                subject=user,
                at=s.created_at,
                evidence=Evidence(
                    "signIns",
                    s.id,
                    s.created_at,
                    f"first sign-in from {country} (usual: {', '.join(sorted(known[key]))})",
                ),
                details={"user": user, "country": country, "ip": s.ip_address or ""},
            )
        prev = last.get(key)
        if prev is not None and prev.created_at is not None:
            km = _distance_km(prev, s)
            hours = (s.created_at - prev.created_at).total_seconds() / 3600
            if km is not None and km >= MIN_TRAVEL_KM and km / max(hours, 1 / 60) > MAX_TRAVEL_KMH:
                hits.add(
                    (user, "travel", prev.country or "?", country or "?"),
                    subject=user,
                    at=s.created_at,
                    evidence=Evidence(
                        "signIns",
                        s.id,
                        s.created_at,
                        f"{km:.0f} km from {prev.country or '?'} in {hours * 60:.0f} min",
                    ),
                    details={"user": user, "previous_sign_in": prev.id},
                )
        if country:
            known[key].add(country)
        last[key] = s
    return hits.hits()


UNUSUAL_SIGN_IN = Rule(
    id="DET-SIGNIN-001v1",
    title="Sign-in from a new country or impossible travel",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("DE.CM-03", "DE.AE-02"),
    streams=("signIns",),
    evaluate=_unusual_sign_in,
    description=(
        "A successful sign-in from a country the user never signed in from within the "
        "look-back window (users without history are skipped: no baseline, no alert), or "
        "two sign-ins too far apart for the time between them."
    ),
)


def _high_risk(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(HIGH_RISK)
    for d in data.events.risk_detections:
        if norm(d.risk_level) != "high":
            continue
        user = data.upn(d.user_id, d.user_principal_name)
        at = d.detected_at or d.activity_at or data.now
        hits.add(
            (user,),
            subject=user,
            at=at,
            evidence=Evidence("riskDetections", d.id, at, f"high risk: {d.risk_event_type}"),
            details={"user": user},
        )
    for s in data.events.sign_ins:
        levels = {norm(s.risk_level_during_sign_in), norm(s.risk_level_aggregated)}
        if "high" not in levels or s.created_at is None:
            continue
        user = data.upn(s.user_id, s.user_principal_name)
        hits.add(
            (user,),
            subject=user,
            at=s.created_at,
            evidence=Evidence("signIns", s.id, s.created_at, "high-risk sign-in"),
            details={"user": user},
        )
    for u in data.risky_users or ():
        level, state = norm(str(u.get("riskLevel") or "")), norm(str(u.get("riskState") or ""))
        if level != "high" or state not in ("atrisk", "confirmedcompromised"):
            continue
        user = str(u.get("userPrincipalName") or u.get("id") or "?")
        at = data.observed_at or data.now
        hits.add(
            (user,),
            subject=user,
            at=at,
            evidence=Evidence("riskyUsers", str(u.get("id") or user), at, f"risky user ({state})"),
            details={"user": user},
        )
    return hits.hits()


HIGH_RISK = Rule(
    id="DET-RISK-001v1",
    title="High risk from Identity Protection",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("DE.AE-02", "DE.AE-07"),
    streams=("riskDetections",),
    resources=("riskyUsers",),
    evaluate=_high_risk,
    description="Identity Protection rates a user or one of their sign-ins as high risk.",
)

MFA_ACTIVITIES = frozenset(
    {
        "user registered security info",
        "user deleted security info",
        "user changed default security info",
        "user registered all required security info",
        "admin registered security info",
        "admin deleted security info",
        "admin updated security info",
    }
)


def _risky_moments(data: DetectionInput) -> dict[str, list[tuple[datetime, str]]]:
    """Per user (id and UPN, lowercased): when something risky happened, and what."""
    out: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for s in (*data.history.sign_ins, *data.events.sign_ins):
        levels = {norm(s.risk_level_during_sign_in), norm(s.risk_level_aggregated)}
        if levels & RISKY_LEVELS and s.created_at is not None:
            for key in (s.user_id, s.user_principal_name):
                if key:
                    out[key.lower()].append((s.created_at, f"signIns/{s.id}"))
    detections: tuple[RiskDetection, ...] = (
        *data.history.risk_detections,
        *data.events.risk_detections,
    )
    for d in detections:
        at = d.activity_at or d.detected_at
        if norm(d.risk_level) in RISKY_LEVELS and at is not None:
            for key in (d.user_id, d.user_principal_name):
                if key:
                    out[key.lower()].append((at, f"riskDetections/{d.id}"))
    return out


def _mfa_after_risk(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(MFA_AFTER_RISK)
    risky = _risky_moments(data)
    for a in data.events.directory_audits:
        if norm(a.activity) not in MFA_ACTIVITIES or a.activity_at is None:
            continue
        target = a.targets[0] if a.targets else None
        keys = [k for k in (target.id if target else None, a.initiated_by_user_id) if k]
        keys += [k for k in (target.user_principal_name if target else None,) if k]
        keys += [k for k in (a.initiated_by_upn,) if k]
        before = [
            (at, ref)
            for k in keys
            for at, ref in risky.get(k.lower(), [])
            if timedelta(0) <= a.activity_at - at <= MFA_CHANGE_WINDOW
        ]
        if not before:
            continue
        user = data.upn(
            target.id if target else a.initiated_by_user_id,
            (target.user_principal_name if target else None) or a.initiated_by_upn,
        )
        first = min(before)
        minutes = (a.activity_at - first[0]).total_seconds() / 60
        hits.add(
            (user,),
            subject=user,
            at=a.activity_at,
            evidence=Evidence(
                "directoryAudits",
                a.id,
                a.activity_at,
                f"{a.activity} {minutes:.0f} min after risky activity {first[1]}",
            ),
            details={"user": user, "risky_event": first[1]},
        )
    return hits.hits()


MFA_AFTER_RISK = Rule(
    id="DET-MFA-001v1",
    title="MFA method changed shortly after a risky sign-in",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("DE.AE-03", "DE.CM-03"),
    streams=("directoryAudits", "signIns"),
    evaluate=_mfa_after_risk,
    description=(
        "A security-info (MFA method) registration or removal within 24 hours after a "
        "medium- or high-risk sign-in or risk detection of the same user: attackers add "
        "their own authenticator to keep access."
    ),
)


def _legacy_auth(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(LEGACY_AUTH)
    for s in data.events.sign_ins:
        if not (s.succeeded and s.legacy_auth) or s.created_at is None:
            continue
        user = data.upn(s.user_id, s.user_principal_name)
        client = s.client_app_used or "?"
        hits.add(
            (user, client),
            subject=user,
            at=s.created_at,
            evidence=Evidence("signIns", s.id, s.created_at, f"legacy client {client}"),
            details={"user": user, "client": client},
        )
    return hits.hits()


LEGACY_AUTH = Rule(
    id="DET-LEGACY-001v1",
    title="Legacy-authentication sign-in succeeded",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("DE.CM-03",),
    streams=("signIns",),
    evaluate=_legacy_auth,
    description=(
        "A sign-in through a legacy protocol (IMAP, POP, SMTP AUTH, ActiveSync, …) "
        "succeeded: such protocols cannot do MFA, so Conditional Access should block them."
    ),
)

RULES: tuple[Rule, ...] = (UNUSUAL_SIGN_IN, HIGH_RISK, MFA_AFTER_RISK, LEGACY_AUTH)
