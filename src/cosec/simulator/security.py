"""Secure Score history, its control profiles, risky users and attack simulations."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cosec.simulator.catalog import SCORE_CONTROLS
from cosec.simulator.events import Actor
from cosec.simulator.history import Collection, Json
from cosec.simulator.people import MEMBER, People, Person
from cosec.simulator.seeding import at, guid, iso, rng

SCORE_HISTORY_DAYS = 90
SERVICES = {"Identity": "AzureAD", "Apps": "EXO", "Device": "MDATP"}


@dataclass
class Scores:
    """Per control, the implemented fraction by date (a slow random walk)."""

    tenant_id: str
    first: date
    fractions: dict[str, list[float]]
    licensed_users: int

    def points(self, day: date) -> list[Json]:
        """The daily secure score points for the 90 days ending at `day`, newest first."""
        out = []
        for back in range(SCORE_HISTORY_DAYS):
            d = day - timedelta(days=back)
            i = (d - self.first).days
            if i < 0:
                break
            out.append(self._point(d, i))
        return out

    def _point(self, d: date, i: int) -> Json:
        controls = []
        total = 0.0
        maximum = 0.0
        for name, category, title, max_score in SCORE_CONTROLS:
            score = round(max_score * self.fractions[name][i], 2)
            total += score
            maximum += max_score
            controls.append(
                {
                    "controlCategory": category,
                    "controlName": name,
                    "description": title,
                    "score": score,
                }
            )
        return {
            "id": f"{self.tenant_id}_{d.isoformat()}",
            "azureTenantId": self.tenant_id,
            "activeUserCount": self.licensed_users,
            "createdDateTime": iso(at(d, 2)),
            "currentScore": round(total, 2),
            "maxScore": maximum,
            "enabledServices": ["HasExchange", "HasSharePoint", "HasOD4B", "HasInTune"],
            "licensedUserCount": self.licensed_users,
            "averageComparativeScores": [
                {"basis": "AllTenants", "averageScore": round(maximum * 0.42, 2)},
                {"basis": "TotalSeats", "averageScore": round(maximum * 0.47, 2)},
            ],
            "controlScores": controls,
            "vendorInformation": {
                "provider": "SecureScore",
                "providerVersion": None,
                "subProvider": None,
                "vendor": "Microsoft",
            },
        }


def make_scores(seed: int, tenant_id: str, first_day: date, last_day: date, users: int) -> Scores:
    r = rng(seed, "securescore")
    first = first_day - timedelta(days=SCORE_HISTORY_DAYS)
    length = (last_day - first).days + 1
    fractions: dict[str, list[float]] = {}
    for name, *_ in SCORE_CONTROLS:
        value = r.uniform(0.2, 0.9)
        series = []
        for _ in range(length):
            value = min(1.0, max(0.0, value + r.gauss(0.002, 0.01)))
            series.append(value)
        fractions[name] = series
    return Scores(tenant_id, first, fractions, users)


def control_profiles(tenant_id: str) -> list[Json]:
    return [
        {
            "id": name,
            "azureTenantId": tenant_id,
            "title": title,
            "controlCategory": category,
            "actionType": "Config",
            "actionUrl": "https://security.microsoft.com/securescore",
            "maxScore": max_score,
            "implementationCost": "Low",
            "userImpact": "Moderate" if category == "Identity" else "Low",
            "rank": rank,
            "tier": "Core",
            "service": SERVICES[category],
            "threats": ["AccountBreach"] if category == "Identity" else ["DataExfiltration"],
            "deprecated": False,
            "remediation": f"<p>{title}.</p>",
            "remediationImpact": "Users may need to adapt how they sign in or work.",
            "complianceInformation": [],
            "controlStateUpdates": [],
            "lastModifiedDateTime": None,
            "vendorInformation": {
                "provider": "SecureScore",
                "providerVersion": None,
                "subProvider": None,
                "vendor": "Microsoft",
            },
        }
        for rank, (name, category, title, max_score) in enumerate(SCORE_CONTROLS, start=1)
    ]


def risky_user_json(p: Actor, level: str, state: str, detail: str, moment_iso: str) -> Json:
    return {
        "id": p.id,
        "isDeleted": False,
        "isProcessing": False,
        "riskLastUpdatedDateTime": moment_iso,
        "riskLevel": level,
        "riskState": state,
        "riskDetail": detail,
        "userDisplayName": p.display,
        "userPrincipalName": p.upn,
    }


def make_risky_users(seed: int, people: People, first_day: date, last_day: date) -> Collection:
    r = rng(seed, "riskyusers")
    coll = Collection()
    window = max(1, (last_day - first_day).days)
    members = [p for p in people.persons if p.kind == MEMBER]
    for p in r.sample(members, max(1, len(members) // 100)):
        moment = at(first_day + timedelta(days=r.randint(-60, window)), r.randint(0, 23))
        level = r.choice(("low", "low", "medium"))
        coll.add(p.id, moment, risky_user_json(p, level, "atRisk", "none", iso(moment)))
        if r.random() < 0.5:
            later = moment + timedelta(hours=r.randint(2, 72))
            coll.add(
                p.id,
                later,
                risky_user_json(
                    p, "none", "remediated", "userPerformedSecuredPasswordReset", iso(later)
                ),
            )
    return coll


@dataclass
class Simulations:
    """Monthly phishing simulations; per-user results are generated on first read."""

    seed: int
    people: People
    objects: Collection
    launch: dict[str, date]
    index: dict[str, int]
    cache: dict[str, list[Json]] = field(default_factory=dict)

    def users(self, simulation_id: str, day: date) -> list[Json] | None:
        if self.objects.get(simulation_id, day) is None:
            return None
        if simulation_id not in self.cache:
            self.cache[simulation_id] = self._results(simulation_id)
        end = iso(at(day + timedelta(days=1)))
        return [u for u in self.cache[simulation_id] if _first_event(u) < end]

    def _results(self, simulation_id: str) -> list[Json]:
        r = rng(self.seed, "simulation-users", simulation_id)
        launch = self.launch[simulation_id]
        n = self.index[simulation_id]  # later simulations: people report more, click less
        report_rate = min(0.7, 0.18 + 0.04 * n)
        click_rate = max(0.04, 0.16 - 0.015 * n)
        out = []
        for p in self.people.persons:
            if p.kind != MEMBER or not p.enabled_on(launch) or p.created.date() > launch:
                continue
            out.append(_simulation_user(r, p, launch, report_rate, click_rate))
        return out


def _first_event(user: Json) -> str:
    events = user["simulationEvents"]
    return str(events[0]["eventDateTime"]) if events else ""


def _simulation_user(
    r: random.Random, p: Person, launch: date, report_rate: float, click_rate: float
) -> Json:
    delivered = at(launch, 9, r.randint(0, 59))
    events = [_sim_event("SuccessfullyDeliveredEmail", iso(delivered), p)]
    compromised = None
    reported = None
    roll = r.random()
    if roll < click_rate:
        clicked = delivered + timedelta(minutes=r.randint(3, 600))
        events.append(_sim_event("EmailLinkClicked", iso(clicked), p))
        if r.random() < 0.5:
            compromised = clicked + timedelta(seconds=r.randint(20, 300))
            events.append(_sim_event("CredentialHarvested", iso(compromised), p))
    elif roll < click_rate + report_rate:
        reported = delivered + timedelta(minutes=r.randint(2, 900))
        events.append(_sim_event("ReportedEmail", iso(reported), p))
    return {
        "isCompromised": compromised is not None,
        "compromisedDateTime": iso(compromised) if compromised else None,
        "reportedPhishDateTime": iso(reported) if reported else None,
        "simulationEvents": events,
        "trainingEvents": [],
        "assignedTrainingsCount": 1 if compromised else 0,
        "completedTrainingsCount": 0,
        "inProgressTrainingsCount": 0,
        "simulationUser": {"userId": p.id, "displayName": p.display, "email": p.upn},
    }


def _sim_event(name: str, moment: str, p: Person) -> Json:
    return {
        "eventName": name,
        "eventDateTime": moment,
        "ipAddress": p.home_ip,
        "osPlatformDeviceDetails": "Windows 11",
        "browser": "Edge",
    }


def make_simulations(
    seed: int, people: People, first_day: date, last_day: date, admin: Person | None
) -> Simulations:
    r = rng(seed, "simulations")
    objects = Collection()
    launch: dict[str, date] = {}
    index: dict[str, int] = {}
    month = date(last_day.year, last_day.month, 1)
    starts = []
    for _ in range(6):
        starts.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    by = (
        {"id": admin.id, "displayName": admin.display, "email": admin.upn}
        if admin
        else {"id": None, "displayName": "Microsoft", "email": None}
    )
    for n, start in enumerate(reversed(starts)):
        sid = guid(r)
        launch_day = start + timedelta(days=r.randint(2, 8))
        created = at(launch_day - timedelta(days=2), 14)
        launch[sid] = launch_day
        index[sid] = n
        completion = at(launch_day + timedelta(days=7), 9)
        base = {
            "id": sid,
            "displayName": f"Monthly phishing exercise {start:%Y-%m}",
            "description": "Credential harvesting simulation sent to all staff",
            "attackType": "social",
            "attackTechnique": "credentialHarvesting",
            "status": "running",
            "createdDateTime": iso(created),
            "createdBy": by,
            "lastModifiedDateTime": iso(created),
            "lastModifiedBy": by,
            "launchDateTime": iso(at(launch_day, 9)),
            "completionDateTime": iso(completion),
            "isAutomated": False,
            "automationId": None,
            "payloadDeliveryPlatform": "email",
        }
        objects.add(sid, created, base)
        objects.patch(
            sid, completion, {"status": "succeeded", "lastModifiedDateTime": iso(completion)}
        )
    return Simulations(seed, people, objects, launch, index)
