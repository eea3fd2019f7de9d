"""Endpoint records: Intune managed devices and compliance policies, Defender for
Endpoint machines and their vulnerabilities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from cosec.model.parse import JsonObject, Reader, odata_type

COMPLIANCE_STATES = (
    "unknown",
    "compliant",
    "noncompliant",
    "conflict",
    "error",
    "inGracePeriod",
    "configManager",
)


class ManagedDevice(NamedTuple):
    id: str
    name: str
    user_id: str | None
    operating_system: str
    os_version: str
    compliance_state: str
    encrypted: bool | None
    last_sync: datetime | None
    azure_ad_device_id: str | None
    quirks: tuple[str, ...] = ()


def parse_managed_device(raw: JsonObject) -> ManagedDevice:
    r = Reader(raw)
    return ManagedDevice(
        id=r.text("id"),
        name=r.text("deviceName"),
        user_id=r.opt_text("userId"),
        operating_system=r.text("operatingSystem"),
        os_version=r.text("osVersion"),
        compliance_state=r.enum("complianceState", COMPLIANCE_STATES, default="unknown"),
        encrypted=r.flag("isEncrypted"),
        last_sync=r.timestamp("lastSyncDateTime"),
        azure_ad_device_id=r.opt_text("azureADDeviceId"),
        quirks=r.done(),
    )


@dataclass(frozen=True, slots=True)
class CompliancePolicy:
    id: str
    display_name: str
    platform: str  # odata type, e.g. windows10CompliancePolicy
    assignment_targets: tuple[str, ...]  # group ids, or allDevices / allLicensedUsers
    quirks: tuple[str, ...] = ()


def parse_compliance_policy(raw: JsonObject) -> CompliancePolicy:
    r = Reader(raw)
    targets: list[str] = []
    for assignment in r.objects("assignments"):
        target = assignment.get("target")
        if not isinstance(target, dict):
            continue
        kind = odata_type(target)
        if kind == "allDevicesAssignmentTarget":
            targets.append("allDevices")
        elif kind == "allLicensedUsersAssignmentTarget":
            targets.append("allLicensedUsers")
        elif kind == "groupAssignmentTarget" and target.get("groupId"):
            targets.append(str(target["groupId"]))
    return CompliancePolicy(
        id=r.text("id"),
        display_name=r.text("displayName"),
        platform=odata_type(raw),
        assignment_targets=tuple(targets),
        quirks=r.done(),
    )


HEALTH = (
    "Active",
    "Inactive",
    "ImpairedCommunication",
    "NoSensorData",
    "NoSensorDataImpairedCommunication",
    "Unknown",
)
ONBOARDING = ("Onboarded", "CanBeOnboarded", "Unsupported", "InsufficientInfo")


class MdeMachine(NamedTuple):
    id: str
    name: str
    os_platform: str
    os_version: str | None
    health_status: str
    onboarding_status: str  # '' when the API did not say (onboarded machines only)
    last_seen: datetime | None
    aad_device_id: str | None
    quirks: tuple[str, ...] = ()

    @property
    def onboarded(self) -> bool:
        return self.onboarding_status in ("", "Onboarded")


def parse_mde_machine(raw: JsonObject) -> MdeMachine:
    r = Reader(raw)
    return MdeMachine(
        id=r.text("id"),
        name=r.text("computerDnsName"),
        os_platform=r.text("osPlatform"),
        os_version=r.opt_text("version"),
        health_status=r.enum("healthStatus", HEALTH, default="Unknown"),
        onboarding_status=r.enum("onboardingStatus", ONBOARDING),
        last_seen=r.timestamp("lastSeen"),
        aad_device_id=r.opt_text("aadDeviceId"),
        quirks=r.done(),
    )


VULN_SEVERITIES = ("Critical", "High", "Medium", "Low")


class Vulnerability(NamedTuple):
    id: str  # CVE id
    machine_id: str
    severity: str  # Critical | High | Medium | Low (raw value kept if unexpected)
    cvss: float | None
    published: datetime | None
    first_seen: datetime | None  # when this machine was first seen exposed, if given
    public_exploit: bool | None
    quirks: tuple[str, ...] = ()

    @property
    def exposed_since(self) -> datetime | None:
        """The clock start for remediation: first detection, else publication."""
        return self.first_seen or self.published


def _score(value: object) -> float | None:
    """The export documents CVSS scores as strings ("6.2"); accept numbers too."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value)) if value is not None else None
    except ValueError:
        return None


def parse_vulnerability(raw: JsonObject, machine_id: str) -> Vulnerability:
    r = Reader(raw)
    export = "cveId" in raw  # a row of SoftwareVulnerabilitiesByMachine, not the entity
    return Vulnerability(
        id=r.text("cveId") if export else r.text("id"),
        machine_id=machine_id,
        severity=r.enum("vulnerabilitySeverityLevel" if export else "severity", VULN_SEVERITIES),
        cvss=_score(raw.get("cvssScore")) if export else r.number("cvssV3"),
        published=r.timestamp("publishedOn"),
        first_seen=r.timestamp("firstSeenTimestamp") or r.timestamp("firstSeen"),
        public_exploit=(
            raw.get("exploitabilityLevel") not in (None, "NoExploit")
            if export
            else r.flag("publicExploit")
        ),
        quirks=r.done(),
    )
