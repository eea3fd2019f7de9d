"""Event streams, generated lazily per (stream, day) from the seed and cached (LRU).

Background events (sign-ins, lifecycle audits, alerts) are pure functions of the tenant's
generated facts and the day; events that history, scenarios or response actions cause are
*planted* and merged in. Every list is served newest first.
"""

from __future__ import annotations

import json
import random
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from cosec.simulator.catalog import APPS, FOREIGN_LOCATIONS, LEGACY_CLIENTS, LOCATIONS
from cosec.simulator.devices import Device
from cosec.simulator.history import Json
from cosec.simulator.people import GUEST, MEMBER, SERVICE, Person
from cosec.simulator.seeding import at, guid, iso, rng

STREAM_TIME = {
    "signIns": "createdDateTime",
    "directoryAudits": "activityDateTime",
    "riskDetections": "detectedDateTime",
    "alerts": "createdDateTime",
    "incidents": "createdDateTime",
}
CACHE_DAYS = 8  # (stream, day) lists kept; a day of sign-ins of 10k users is ~50 MiB

PHISH_ALERT = "Email reported by user as malware or phish"
FAILURES = (
    (50126, "Error validating credentials due to invalid username or password."),
    (50074, "Strong Authentication is required."),
    (50053, "Account is locked because user tried to sign in too many times."),
)


class Actor(Protocol):
    """Who acts or is acted on in an audit event (a Person, or an account read back)."""

    @property
    def id(self) -> str: ...

    @property
    def upn(self) -> str: ...

    @property
    def display(self) -> str: ...

    @property
    def home_ip(self) -> str: ...


@dataclass(frozen=True)
class Account:
    id: str
    upn: str
    display: str
    home_ip: str = ""


class EventSource(Protocol):
    """What the generators need to know about the tenant."""

    tenant_id: str
    primary_domain: str
    seed: int
    now: datetime

    def persons(self) -> Sequence[Person]: ...

    def licensed(self, feature: str) -> bool: ...

    def mfa_excluded(self, day: date) -> set[str]: ...

    def legacy_blocked(self, day: date) -> bool: ...

    def devices(self) -> Sequence[Device]: ...

    def device_of(self, person_id: str) -> Device | None: ...

    def risky_moments(self, day: date) -> list[tuple[Person, datetime, str]]: ...

    def admin_actor(self) -> Person | None: ...


@dataclass
class EventLog:
    source: EventSource
    planted: dict[tuple[str, date], list[Json]] = field(default_factory=dict)
    cache: OrderedDict[tuple[str, date], list[Json]] = field(default_factory=OrderedDict)

    def plant(self, stream: str, event: Json) -> None:
        moment = str(event[STREAM_TIME[stream]])
        day = date.fromisoformat(moment[:10])
        self.planted.setdefault((stream, day), []).append(event)
        self.cache.pop((stream, day), None)

    def on(self, stream: str, day: date) -> list[Json]:
        key = (stream, day)
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            return hit
        events = [*self._background(stream, day), *self.planted.get(key, [])]
        time_field = STREAM_TIME[stream]
        events.sort(key=lambda e: (str(e[time_field]), str(e["id"])), reverse=True)
        self.cache[key] = events
        while len(self.cache) > CACHE_DAYS:
            self.cache.popitem(last=False)
        return events

    def _background(self, stream: str, day: date) -> list[Json]:
        r = rng(self.source.seed, "events", stream, day.toordinal())
        makers: dict[str, Callable[[random.Random, date], list[Json]]] = {
            "signIns": self._sign_ins,
            "directoryAudits": self._audits,
            "riskDetections": self._risk_detections,
            "alerts": lambda r, d: [a for a, _i in self._alerts(r, d)],
            "incidents": lambda r, d: [i for _a, i in self._alerts(r, d)],
        }
        if stream == "incidents":  # alerts and incidents share one draw
            r = rng(self.source.seed, "events", "alerts", day.toordinal())
        return makers[stream](r, day)

    # --- sign-ins -------------------------------------------------------------------------

    def count(self, stream: str, day: date) -> int:
        """How many events `on(stream, day)` holds, without generating sign-ins."""
        key = (stream, day)
        if key in self.cache:
            return len(self.cache[key])
        if stream != "signIns":
            return len(self.on(stream, day))
        plan, spray = self._sign_in_plan(day)
        return sum(n for _p, n in plan) + spray + len(self.planted.get(key, []))

    def _sign_in_plan(self, day: date) -> tuple[list[tuple[Person, int]], int]:
        """Who signs in on `day` and how often, plus the number of spray attempts. Drawn
        from its own generator so counting needs no event built."""
        r = rng(self.source.seed, "events", "signIns-plan", day.toordinal())
        plan = [
            (p, r.randint(2, 6) if p.kind == MEMBER else 1)
            for p in self.source.persons()
            if p.signs_in_on(day)
        ]
        spray = r.randint(0, 3) if any(p.kind == MEMBER for p, _n in plan) else 0
        return plan, spray

    def _sign_ins(self, r: random.Random, day: date) -> list[Json]:
        src = self.source
        p2 = src.licensed("entra_p2")
        excluded = src.mfa_excluded(day)
        legacy_blocked = src.legacy_blocked(day)
        plan, spray = self._sign_in_plan(day)
        out: list[Json] = []
        for p, count in plan:
            last = p.sign_in_moment(day)
            for i in range(count):
                moment = last if i == 0 else last - timedelta(minutes=r.randint(10, 420))
                client = "Browser" if r.random() < 0.6 else "Mobile Apps and Desktop clients"
                if p.kind == SERVICE:
                    client = "Authenticated SMTP"
                elif r.random() < 0.01:
                    client = r.choice(LEGACY_CLIENTS)
                out.append(
                    sign_in(
                        r,
                        p,
                        moment,
                        client=client,
                        location=LOCATIONS[p.location],
                        ip=p.home_ip,
                        p2=p2,
                        mfa=p.id not in excluded and p.kind != SERVICE,
                        blocked=legacy_blocked and client in LEGACY_CLIENTS,
                        fail=r.random() < 0.04 and i > 0,
                        device=src.device_of(p.id),
                    )
                )
        members = [p for p, _n in plan if p.kind == MEMBER]
        for _ in range(spray):  # background password spraying
            victim = r.choice(members)
            where = r.choice(FOREIGN_LOCATIONS)
            out.append(
                sign_in(
                    r,
                    victim,
                    at(day, r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)),
                    client="Browser",
                    location=where,
                    ip=f"{where[3]}.{r.randint(1, 254)}.{r.randint(1, 254)}",
                    p2=p2,
                    mfa=True,
                    blocked=False,
                    fail=True,
                )
            )
        return out

    # --- directory audits -----------------------------------------------------------------

    def _audits(self, r: random.Random, day: date) -> list[Json]:
        actor = self.source.admin_actor()
        out: list[Json] = []
        for p in self.source.persons():
            if p.created.date() == day and p.kind in (MEMBER, GUEST):
                moment = p.created - timedelta(minutes=5)
                activity = "Invite external user" if p.kind == GUEST else "Add user"
                out.append(audit(r, moment, activity, "UserManagement", actor, user_target(p)))
            if p.disabled_on == day:
                out.append(
                    audit(
                        r,
                        at(day, 9) - timedelta(minutes=2),
                        "Disable account",
                        "UserManagement",
                        actor,
                        user_target(p, [change("AccountEnabled", [True], [False])]),
                    )
                )
            if p.deleted_on == day:
                out.append(
                    audit(
                        r,
                        at(day, 10) - timedelta(minutes=1),
                        "Delete user",
                        "UserManagement",
                        actor,
                        user_target(p),
                    )
                )
            if p.mfa_on == day and p.kind == MEMBER and p.created.date() <= day:
                moment = at(day, p.sign_in_hour + 1) - timedelta(minutes=1)
                out.append(
                    audit(
                        r,
                        moment,
                        "User registered security info",
                        "UserManagement",
                        p,
                        user_target(p),
                        service="Authentication Methods",
                        reason="User registered Authenticator App with Notification and Code",
                    )
                )
            if p.phone_removed_on == day and p.created.date() <= day:
                out.append(
                    audit(
                        r,
                        at(day, p.sign_in_hour + 2) - timedelta(minutes=1),
                        "Delete security info",
                        "UserManagement",
                        p,
                        user_target(p),
                        service="Authentication Methods",
                        reason="User deleted Mobile Phone SMS",
                    )
                )
        return out

    # --- identity protection ----------------------------------------------------------------

    def _risk_detections(self, r: random.Random, day: date) -> list[Json]:
        if not self.source.licensed("entra_p2"):
            return []
        out = []
        for p, moment, level in self.source.risky_moments(day):
            where = r.choice(FOREIGN_LOCATIONS)
            out.append(
                risk_detection(
                    r,
                    p,
                    moment,
                    level,
                    "unfamiliarFeatures",
                    where,
                    f"{where[3]}.{r.randint(1, 254)}.9",
                )
            )
        return out

    # --- alerts and incidents -------------------------------------------------------------

    def _alerts(self, r: random.Random, day: date) -> list[tuple[Json, Json]]:
        src = self.source
        members = [p for p in src.persons() if p.kind == MEMBER and p.active_on(day)]
        if not members:
            return []
        rate = max(0.5, len(members) / 120)
        out: list[tuple[Json, Json]] = []
        machines = [m for m in src.devices() if m.machine_id] if src.licensed("mde") else []
        for n in range(_poisson(r, rate)):
            created = at(day, r.randint(7, 19), r.randint(0, 59), r.randint(0, 59))
            number = day.toordinal() * 100 + n
            if machines and r.random() < 0.35:
                device = r.choice(machines)
                alert = malware_alert(r, src.tenant_id, number, created, device, "low", src.now)
            else:
                alert = phish_alert(r, src.tenant_id, number, created, r.choice(members), src.now)
            out.append((alert, incident_for(alert, number)))
        return out


def _poisson(r: random.Random, rate: float) -> int:
    count, total = 0, r.expovariate(1.0)
    while total < rate:
        count += 1
        total += r.expovariate(1.0)
    return count


# --- object builders (also used by scenarios) --------------------------------------------


def sign_in(
    r: random.Random,
    p: Person,
    moment: datetime,
    *,
    client: str,
    location: tuple[str, str, str, str],
    ip: str,
    p2: bool,
    mfa: bool,
    blocked: bool,
    fail: bool,
    risk: str = "none",
    device: Device | None = None,
) -> Json:
    error, reason = (0, None)
    if blocked:
        error, reason = 53003, "Access has been blocked by Conditional Access policies."
    elif fail:
        error, reason = r.choice(FAILURES)
    app_id, app = r.choice(APPS)
    risk_value = risk if p2 else "hidden"
    return {
        "id": guid(r),
        "createdDateTime": iso(moment),
        "userDisplayName": p.display,
        "userPrincipalName": p.upn,
        "userId": p.id,
        "appId": app_id,
        "appDisplayName": app,
        "ipAddress": ip,
        "clientAppUsed": client,
        "correlationId": guid(r),
        "conditionalAccessStatus": _ca_status(blocked=blocked, fail=fail, mfa=mfa),
        "isInteractive": client not in LEGACY_CLIENTS,
        "riskDetail": "none" if p2 else "hidden",
        "riskLevelAggregated": risk_value,
        "riskLevelDuringSignIn": risk_value,
        "riskState": ("atRisk" if risk != "none" else "none") if p2 else "none",
        "riskEventTypes_v2": ["unfamiliarFeatures"] if risk != "none" and p2 else [],
        "resourceDisplayName": app,
        "resourceId": app_id,
        "status": {"errorCode": error, "failureReason": reason, "additionalDetails": None},
        "deviceDetail": _device_detail(device, client),
        "location": {
            "city": location[1],
            "state": location[2],
            "countryOrRegion": location[0],
            "geoCoordinates": None,
        },
        "appliedConditionalAccessPolicies": [],
    }


def _ca_status(*, blocked: bool, fail: bool, mfa: bool) -> str:
    if blocked:
        return "failure"
    return "success" if mfa and not fail else "notApplied"


def _device_detail(device: Device | None, client: str) -> Json:
    browser = "Edge 131.0.0" if client == "Browser" else None
    if device is None:  # an unknown, unmanaged device
        return {
            "deviceId": "",
            "displayName": None,
            "operatingSystem": "Windows10",
            "browser": browser,
            "isCompliant": False,
            "isManaged": False,
            "trustType": None,
        }
    return {
        "deviceId": device.aad_id,
        "displayName": device.name,
        "operatingSystem": {"Windows": "Windows10", "macOS": "MacOs"}.get(device.os, device.os),
        "browser": browser,
        "isCompliant": device.compliance == "compliant",
        "isManaged": True,
        "trustType": "Azure AD joined" if device.os == "Windows" else "Azure AD registered",
    }


def change(name: str, old: object, new: object) -> Json:
    return {"displayName": name, "oldValue": json.dumps(old), "newValue": json.dumps(new)}


def user_target(p: Actor, modified: list[Json] | None = None) -> Json:
    return {
        "id": p.id,
        "displayName": p.display,
        "type": "User",
        "userPrincipalName": p.upn,
        "modifiedProperties": modified or [],
        "groupType": None,
    }


def audit(
    r: random.Random,
    moment: datetime,
    activity: str,
    category: str,
    actor: Actor | None,
    *targets: Json,
    service: str = "Core Directory",
    reason: str = "",
    app: tuple[str, str] | None = None,
) -> Json:
    initiated: Json = {"user": None, "app": None}
    if app is not None:
        initiated["app"] = {
            "appId": app[0],
            "displayName": app[1],
            "servicePrincipalId": app[0],
            "servicePrincipalName": None,
        }
    elif actor is not None:
        initiated["user"] = {
            "id": actor.id,
            "displayName": actor.display,
            "userPrincipalName": actor.upn,
            "ipAddress": actor.home_ip,
        }
    return {
        "id": f"Directory_{guid(r)}",
        "category": category,
        "correlationId": guid(r),
        "result": "success",
        "resultReason": reason,
        "activityDisplayName": activity,
        "activityDateTime": iso(moment),
        "loggedByService": service,
        "operationType": _operation(activity),
        "initiatedBy": initiated,
        "targetResources": list(targets),
        "additionalDetails": [],
    }


def _operation(activity: str) -> str:
    for verb, kind in (
        ("Add", "Add"),
        ("Delete", "Delete"),
        ("Invite", "Add"),
        ("registered", "Add"),
    ):
        if verb in activity:
            return kind
    return "Update"


def risk_detection(
    r: random.Random,
    p: Person,
    moment: datetime,
    level: str,
    event_type: str,
    where: tuple[str, str, str, str],
    ip: str,
) -> Json:
    request = guid(r)
    return {
        "id": request,
        "requestId": request,
        "correlationId": guid(r),
        "riskEventType": event_type,
        "riskState": "atRisk",
        "riskLevel": level,
        "riskDetail": "none",
        "source": "IdentityProtection",
        "detectionTimingType": "realtime",
        "activity": "signin",
        "tokenIssuerType": "AzureAD",
        "ipAddress": ip,
        "location": {
            "city": where[1],
            "state": where[2],
            "countryOrRegion": where[0],
            "geoCoordinates": None,
        },
        "activityDateTime": iso(moment),
        "detectedDateTime": iso(moment + timedelta(minutes=2)),
        "lastUpdatedDateTime": iso(moment + timedelta(minutes=2)),
        "userId": p.id,
        "userDisplayName": p.display,
        "userPrincipalName": p.upn,
        "additionalInfo": '[{"Key":"userAgent","Value":"Mozilla/5.0"}]',
    }


def _triage(r: random.Random, created: datetime, now: datetime, alert: Json) -> None:
    """Move the alert through new -> inProgress -> resolved as of `now`."""
    picked = created + timedelta(minutes=r.randint(20, 360))
    resolved = picked + timedelta(hours=r.randint(1, 30))
    analyst = r.choice(("jordan@partner.example", "casey@partner.example"))
    classification = r.choice(
        ("falsePositive", "truePositive", "informationalExpectedActivity", "truePositive")
    )
    determination = {
        "falsePositive": "notMalicious",
        "truePositive": "malware" if alert["category"] == "Malware" else "phishing",
        "informationalExpectedActivity": "securityTesting",
    }[classification]
    alert["lastUpdateDateTime"] = alert["createdDateTime"]
    if picked <= now:
        alert.update(status="inProgress", assignedTo=analyst, lastUpdateDateTime=iso(picked))
    if resolved <= now:
        alert.update(
            status="resolved",
            classification=classification,
            determination=determination,
            resolvedDateTime=iso(resolved),
            lastUpdateDateTime=iso(resolved),
        )


def _alert(
    r: random.Random,
    tenant_id: str,
    number: int,
    created: datetime,
    *,
    title: str,
    description: str,
    category: str,
    severity: str,
    service: str,
    detection: str,
    evidence: list[Json],
) -> Json:
    alert_id = f"da{number:018d}_{r.randint(100000000, 999999999)}"
    return {
        "@odata.type": "#microsoft.graph.security.alert",
        "id": alert_id,
        "providerAlertId": alert_id,
        "incidentId": str(number),
        "status": "new",
        "severity": severity,
        "classification": None,
        "determination": None,
        "serviceSource": service,
        "detectionSource": detection,
        "detectorId": guid(r),
        "tenantId": tenant_id,
        "title": title,
        "description": description,
        "recommendedActions": "Review the evidence and contain affected accounts or devices.",
        "category": category,
        "assignedTo": None,
        "alertWebUrl": f"https://security.microsoft.com/alerts/{alert_id}?tid={tenant_id}",
        "incidentWebUrl": f"https://security.microsoft.com/incidents/{number}?tid={tenant_id}",
        "actorDisplayName": None,
        "threatDisplayName": None,
        "threatFamilyName": None,
        "mitreTechniques": [],
        "createdDateTime": iso(created),
        "lastUpdateDateTime": iso(created),
        "resolvedDateTime": None,
        "firstActivityDateTime": iso(created - timedelta(minutes=r.randint(1, 30))),
        "lastActivityDateTime": iso(created),
        "comments": [],
        "evidence": evidence,
    }


def user_evidence(p: Person, created: datetime) -> list[Json]:
    account = {
        "accountName": p.upn.split("@")[0],
        "azureAdUserId": p.id,
        "displayName": p.display,
        "domainName": p.upn.split("@")[1],
        "userPrincipalName": p.upn,
        "userSid": None,
    }
    base: Json = {
        "createdDateTime": iso(created),
        "verdict": "suspicious",
        "remediationStatus": "none",
        "remediationStatusDetails": None,
        "roles": [],
        "tags": [],
    }
    return [
        {"@odata.type": "#microsoft.graph.security.userEvidence", **base, "userAccount": account},
        {
            "@odata.type": "#microsoft.graph.security.mailboxEvidence",
            **base,
            "displayName": p.display,
            "primaryAddress": p.upn,
            "userAccount": account,
        },
    ]


def phish_alert(
    r: random.Random, tenant_id: str, number: int, created: datetime, p: Person, now: datetime
) -> Json:
    alert = _alert(
        r,
        tenant_id,
        number,
        created,
        title=PHISH_ALERT,
        description="This alert is triggered when any email message is reported as malware "
        "or phish by users.",
        category="InitialAccess",
        severity="informational",
        service="microsoftDefenderForOffice365",
        detection="microsoftDefenderForOffice365",
        evidence=user_evidence(p, created),
    )
    _triage(r, created, now, alert)
    return alert


def malware_alert(
    r: random.Random,
    tenant_id: str,
    number: int,
    created: datetime,
    d: Device,
    severity: str,
    now: datetime,
    *,
    triage: bool = True,
) -> Json:
    threat = r.choice(("Wacatac", "Emotet", "Qakbot", "AgentTesla"))
    alert = _alert(
        r,
        tenant_id,
        number,
        created,
        title=f"'{threat}' malware was {'detected' if severity == 'high' else 'prevented'}",
        description=f"Malware of the {threat} family was found on the device.",
        category="Malware",
        severity=severity,
        service="microsoftDefenderForEndpoint",
        detection="antivirus",
        evidence=[
            {
                "@odata.type": "#microsoft.graph.security.deviceEvidence",
                "createdDateTime": iso(created),
                "verdict": "malicious",
                "remediationStatus": "none",
                "remediationStatusDetails": None,
                "roles": [],
                "tags": [],
                "mdeDeviceId": d.machine_id,
                "azureAdDeviceId": d.aad_id,
                "deviceDnsName": d.name.lower(),
                "osPlatform": d.platform,
                "osBuild": d.build or None,
                "healthStatus": "active",
                "riskScore": severity,
                "onboardingStatus": "onboarded",
                "defenderAvStatus": "updated",
                "firstSeenDateTime": iso(d.enrolled),
                "loggedOnUsers": [
                    {
                        "accountName": d.owner.upn.split("@")[0],
                        "domainName": d.owner.upn.split("@")[1],
                    }
                ],
            }
        ],
    )
    alert["threatFamilyName"] = threat
    if triage:
        _triage(r, created, now, alert)
    return alert


def incident_for(alert: Json, number: int) -> Json:
    status = {"new": "active", "inProgress": "inProgress", "resolved": "resolved"}[alert["status"]]
    return {
        "@odata.type": "#microsoft.graph.security.incident",
        "id": str(number),
        "incidentWebUrl": alert["incidentWebUrl"],
        "redirectIncidentId": None,
        "tenantId": alert["tenantId"],
        "displayName": f"{alert['title']} involving one entity",
        "description": alert["description"],
        "createdDateTime": alert["createdDateTime"],
        "lastUpdateDateTime": alert["lastUpdateDateTime"],
        "resolvingComment": None,
        "assignedTo": alert["assignedTo"],
        "classification": alert["classification"],
        "determination": alert["determination"],
        "status": status,
        "severity": alert["severity"],
        "customTags": [],
        "systemTags": [],
        "comments": [],
        "summary": None,
    }
