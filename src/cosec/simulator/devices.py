"""Intune managed devices and compliance policies, Defender for Endpoint machines and
their vulnerabilities.

Devices patch during the window (a new OS version from their patch day on, and most of
their vulnerabilities close that day); a stale tail stops syncing and never patches.
Vulnerabilities are generated per machine on first read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from cosec.simulator.catalog import CVES, Cve
from cosec.simulator.history import Collection, Json
from cosec.simulator.people import MEMBER, People, Person
from cosec.simulator.seeding import at, guid, hex40, iso, rng

WINDOWS_BUILDS = (
    ("Windows11", "23H2", 22631),
    ("Windows11", "24H2", 26100),
    ("Windows10", "22H2", 19045),
)
MOBILE_VERSIONS = {
    "macOS": ("14.6.1", "15.1", "15.2"),
    "iOS": ("17.7", "18.1", "18.2"),
    "Android": ("13", "14", "15"),
}
NAME_PREFIX = {"Windows": "DESKTOP", "macOS": "MAC", "iOS": "IPHONE", "Android": "ANDROID"}
MODELS = {
    "Windows": ("Microsoft Corporation", "Surface Laptop 5"),
    "macOS": ("Apple", "MacBook Air"),
    "iOS": ("Apple", "iPhone 15"),
    "Android": ("Samsung", "Galaxy S23"),
}
STALE_AFTER = timedelta(days=7)  # Defender marks a machine Inactive when unseen this long


@dataclass
class Device:
    id: str
    aad_id: str
    owner: Person
    os: str  # Windows | macOS | iOS | Android
    platform: str  # Defender osPlatform: Windows11, Windows10, macOS, ...
    release: str
    build: int
    name: str
    enrolled: datetime
    version_before: str
    version_after: str
    patch_day: date | None  # None = does not patch during the window
    last_sync: date | None  # None = syncs daily; else stopped syncing after this day
    compliance: str
    encrypted: bool
    ip: str
    machine_id: str | None = None  # Defender id when onboarded
    vulns: list[tuple[Cve, date, date | None]] | None = field(default=None, repr=False)

    def seen(self, day: date, hour_offset: int = 0) -> datetime:
        last = day if self.last_sync is None else min(day, self.last_sync)
        return at(last, 6 + int(self.id[:2], 16) % 12 + hour_offset, int(self.id[2:4], 16) % 60)


@dataclass
class Fleet:
    devices: list[Device]
    by_machine: dict[str, Device]
    managed: Collection
    machines: Collection
    policies: Collection
    policy_assignments: dict[str, list[Json]]
    seed: int
    first_day: date
    primary: dict[str, Device] = field(default_factory=dict)  # owner id -> first device

    def vulnerabilities(self, device: Device) -> list[tuple[Cve, date, date | None]]:
        """(cve, first seen, fixed on) for the machine, generated on first use."""
        if device.vulns is None:
            device.vulns = _vulnerabilities(self.seed, device, self.first_day)
        return device.vulns


def make_fleet(
    seed: int,
    people: People,
    domain: str,
    first_day: date,
    last_day: date,
    all_staff_group: str,
    mde: bool,
) -> Fleet:
    r = rng(seed, "devices")
    window = max(1, (last_day - first_day).days)
    devices: list[Device] = []
    for person in people.persons:
        if person.kind != MEMBER:
            continue
        kinds = ["Windows" if r.random() < 0.85 else "macOS"]
        if r.random() < 0.4:
            kinds.append("iOS" if r.random() < 0.6 else "Android")
        devices.extend(_device(r, person, os_name, first_day, window) for os_name in kinds)

    by_device = {d.id: d for d in devices}
    by_machine: dict[str, Device] = {}
    managed = Collection(lambda did, s, day: _refresh_managed(by_device[did], s, day))
    machines = Collection()
    for d in devices:
        managed.add(d.id, d.enrolled, _managed_json(d, domain))
        if d.patch_day is not None:
            managed.patch(d.id, at(d.patch_day, 3), {"osVersion": _os_version(d, after=True)})
        if d.owner.deleted_on is not None:
            managed.remove(d.id, at(d.owner.deleted_on, 11))
        if mde and d.os in ("Windows", "macOS") and r.random() < 0.9:
            d.machine_id = hex40(r)
            by_machine[d.machine_id] = d
            machines.add(d.machine_id, d.enrolled, _machine_json(d, domain))
            if d.owner.deleted_on is not None:
                machines.remove(d.machine_id, at(d.owner.deleted_on, 11))

    policies, assignments = _compliance_policies(r, first_day, all_staff_group)
    fleet = Fleet(devices, by_machine, managed, machines, policies, assignments, seed, first_day)
    for d in devices:
        fleet.primary.setdefault(d.owner.id, d)
    machines.refresh = lambda mid, s, day: _refresh_machine(fleet, by_machine[mid], s, day)
    return fleet


def _device(r: random.Random, person: Person, os_name: str, first_day: date, window: int) -> Device:
    if os_name == "Windows":
        platform, release, build = r.choice(WINDOWS_BUILDS)
        patch = r.randint(4000, 4200)
        before, after = f"{patch}", f"{patch + 300}"
    else:
        versions = MOBILE_VERSIONS[os_name]
        platform, release, build = os_name, "", 0
        before, after = versions[r.randrange(2)], versions[2]
    stale = r.random() < 0.06
    roll = r.random()
    compliance = "compliant"
    if stale or roll < 0.07:
        compliance = "noncompliant"
    elif roll < 0.10:
        compliance = "inGracePeriod"
    enrolled = max(person.created, at(first_day - timedelta(days=r.randint(10, 900)), 9))
    patch_day = first_day + timedelta(days=r.randint(0, window)) if r.random() < 0.8 else None
    if stale or (patch_day is not None and at(patch_day, 3) <= enrolled):
        patch_day = None
    return Device(
        id=guid(r),
        aad_id=guid(r),
        owner=person,
        os=os_name,
        platform=platform,
        release=release,
        build=build,
        name=f"{NAME_PREFIX[os_name]}-{r.getrandbits(24):06X}",
        enrolled=enrolled,
        version_before=before,
        version_after=after,
        patch_day=patch_day,
        last_sync=first_day - timedelta(days=r.randint(20, 120)) if stale else None,
        compliance=compliance,
        encrypted=compliance != "noncompliant" or r.random() < 0.5,
        ip=f"10.{r.randint(0, 40)}.{r.randint(0, 255)}.{r.randint(2, 250)}",
    )


def _os_version(d: Device, *, after: bool) -> str:
    patch = d.version_after if after else d.version_before
    return f"10.0.{d.build}.{patch}" if d.os == "Windows" else patch


def _managed_json(d: Device, domain: str) -> Json:
    manufacturer, model = MODELS[d.os]
    return {
        "id": d.id,
        "userId": d.owner.id,
        "userPrincipalName": d.owner.upn,
        "userDisplayName": d.owner.display,
        "emailAddress": d.owner.upn,
        "deviceName": d.name,
        "managedDeviceOwnerType": "company" if d.os in ("Windows", "macOS") else "personal",
        "enrolledDateTime": iso(d.enrolled),
        "lastSyncDateTime": iso(d.enrolled),
        "operatingSystem": d.os,
        "osVersion": _os_version(d, after=False),
        "complianceState": d.compliance,
        "jailBroken": "False",
        "managementAgent": "mdm",
        "azureADRegistered": True,
        "azureADDeviceId": d.aad_id,
        "deviceRegistrationState": "registered",
        "deviceEnrollmentType": "windowsAzureADJoin" if d.os == "Windows" else "userEnrollment",
        "isEncrypted": d.encrypted,
        "isSupervised": d.os == "iOS",
        "manufacturer": manufacturer,
        "model": model,
        "serialNumber": d.name.split("-")[1],
        "wiFiMacAddress": None,
        "totalStorageSpaceInBytes": 256 * 1024**3,
        "freeStorageSpaceInBytes": 100 * 1024**3,
        "partnerReportedThreatState": "unknown",
    }


def _refresh_managed(d: Device, state: Json, day: date) -> Json:
    return {**state, "lastSyncDateTime": iso(d.seen(day))}


def _machine_json(d: Device, domain: str) -> Json:
    return {
        "id": d.machine_id,
        "computerDnsName": f"{d.name.lower()}.{domain}",
        "firstSeen": iso(d.enrolled),
        "lastSeen": iso(d.enrolled),
        "osPlatform": d.platform,
        "version": d.release or None,
        "osProcessor": "x64" if d.os == "Windows" else "arm64",
        "lastIpAddress": d.ip,
        "lastExternalIpAddress": d.owner.home_ip,
        "osBuild": d.build or None,
        "healthStatus": "Active",
        "onboardingStatus": "Onboarded",
        "rbacGroupId": 0,
        "rbacGroupName": None,
        "riskScore": "None",
        "exposureLevel": "Low",
        "isAadJoined": d.os == "Windows",
        "aadDeviceId": d.aad_id,
        "deviceValue": "Normal",
        "machineTags": [],
    }


def _refresh_machine(fleet: Fleet, d: Device, state: Json, day: date) -> Json:
    seen = d.seen(day, hour_offset=1)
    inactive = day - seen.date() > STALE_AFTER
    open_vulns = [cve for cve, _first in open_vulnerabilities(fleet, d, day)]
    exposure = "Low"
    if any(c.severity == "Critical" for c in open_vulns):
        exposure = "High"
    elif any(c.severity == "High" for c in open_vulns):
        exposure = "Medium"
    return {
        **state,
        "lastSeen": iso(seen),
        "healthStatus": "Inactive" if inactive else state["healthStatus"],
        "exposureLevel": exposure,
    }


def _open(first: date, fixed: date | None, day: date) -> bool:
    return first <= day and (fixed is None or day < fixed)


def _vulnerabilities(seed: int, d: Device, first_day: date) -> list[tuple[Cve, date, date | None]]:
    r = rng(seed, "vulns", d.id)
    applicable = [c for c in CVES if d.platform in c.platforms]
    count = min(len(applicable), r.randint(0, 4) + (3 if d.patch_day is None else 0))
    out: list[tuple[Cve, date, date | None]] = []
    for cve in r.sample(applicable, count):
        first = first_day + timedelta(days=r.randint(-150, 20))
        fixed = d.patch_day if d.patch_day is not None and r.random() < 0.75 else None
        if fixed is not None and fixed <= first:
            fixed = None
        out.append((cve, first, fixed))
    return out


def vulnerability_json(cve: Cve, first_seen: date, exposed: int) -> Json:
    return {
        "id": cve.id,
        "name": cve.id,
        "description": cve.description,
        "severity": cve.severity,
        "cvssV3": cve.cvss,
        "exposedMachines": exposed,
        "publishedOn": f"{cve.published}T00:00:00Z",
        "updatedOn": f"{cve.published}T00:00:00Z",
        "publicExploit": cve.public_exploit,
        "exploitVerified": cve.public_exploit,
        "exploitInKit": False,
        "exploitTypes": [],
        "exploitUris": [],
        "firstSeen": f"{first_seen.isoformat()}T00:00:00Z",
    }


def open_vulnerabilities(fleet: Fleet, device: Device, day: date) -> list[tuple[Cve, date]]:
    return [
        (c, first) for c, first, fixed in fleet.vulnerabilities(device) if _open(first, fixed, day)
    ]


def _compliance_policies(
    r: random.Random, first_day: date, all_staff_group: str
) -> tuple[Collection, dict[str, list[Json]]]:
    policies = Collection()
    assignments: dict[str, list[Json]] = {}
    created = at(first_day - timedelta(days=700), 10)
    specs: tuple[tuple[str, str, Json], ...] = (
        (
            "Windows",
            "windows10CompliancePolicy",
            {
                "bitLockerEnabled": True,
                "secureBootEnabled": True,
                "osMinimumVersion": "10.0.19045",
                "codeIntegrityEnabled": True,
            },
        ),
        (
            "macOS",
            "macOSCompliancePolicy",
            {"storageRequireEncryption": True, "osMinimumVersion": "14.0", "firewallEnabled": True},
        ),
        (
            "iOS",
            "iosCompliancePolicy",
            {
                "passcodeRequired": True,
                "osMinimumVersion": "17.0",
                "securityBlockJailbrokenDevices": True,
            },
        ),
        (
            "Android",
            "androidWorkProfileCompliancePolicy",
            {
                "passwordRequired": True,
                "osMinimumVersion": "13",
                "securityBlockJailbrokenDevices": True,
            },
        ),
    )
    for os_name, odata, settings in specs:
        pid = guid(r)
        policies.add(
            pid,
            created,
            {
                "@odata.type": f"#microsoft.graph.{odata}",
                "id": pid,
                "displayName": f"{os_name} compliance baseline",
                "description": f"Minimum security requirements for {os_name} devices",
                "createdDateTime": iso(created),
                "lastModifiedDateTime": iso(created),
                "version": 1,
                **settings,
            },
        )
        assignments[pid] = [
            {
                "id": f"{pid}_{all_staff_group}",
                "target": {
                    "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                    "groupId": all_staff_group,
                },
            }
        ]
    return policies, assignments
