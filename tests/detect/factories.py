"""Raw event builders in Microsoft's shapes, for planting positives and negatives."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cosec.detect.rules import DetectionInput, EventSet
from cosec.model import events as ev

T0 = datetime.fromisoformat("2026-11-20T09:00:00+00:00")
DOMAINS = frozenset({"contoso.com", "contoso.onmicrosoft.com"})


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def sign_in(
    at: datetime,
    upn: str = "amy@contoso.com",
    *,
    country: str = "GB",
    lat: float | None = 51.5,
    lon: float | None = -0.12,
    error: int = 0,
    client: str = "Browser",
    risk: str = "none",
    sid: str | None = None,
) -> ev.SignIn:
    return ev.parse_sign_in(
        {
            "id": sid or f"si-{upn}-{iso(at)}",
            "createdDateTime": iso(at),
            "userId": f"id-{upn}",
            "userPrincipalName": upn,
            "clientAppUsed": client,
            "riskLevelDuringSignIn": risk,
            "riskLevelAggregated": "none",
            "status": {"errorCode": error},
            "location": {
                "countryOrRegion": country,
                "geoCoordinates": {"latitude": lat, "longitude": lon},
            },
        }
    )


def audit(
    at: datetime,
    activity: str,
    *,
    service: str = "Core Directory",
    category: str = "RoleManagement",
    targets: list[dict[str, Any]] | None = None,
    by: str = "mallory@contoso.com",
    aid: str | None = None,
    result: str = "success",
) -> ev.DirectoryAudit:
    return ev.parse_directory_audit(
        {
            "id": aid or f"da-{activity}-{iso(at)}",
            "activityDateTime": iso(at),
            "activityDisplayName": activity,
            "category": category,
            "loggedByService": service,
            "result": result,
            "initiatedBy": {"user": {"id": "id-mallory", "userPrincipalName": by}},
            "targetResources": targets or [],
        }
    )


def role_target(upn: str, role: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"id-{upn}",
            "type": "User",
            "userPrincipalName": upn,
            "modifiedProperties": [
                {"displayName": "Role.DisplayName", "oldValue": None, "newValue": f'"{role}"'}
            ],
        }
    ]


def alert(
    aid: str,
    at: datetime,
    *,
    title: str = "Suspicious activity",
    severity: str = "high",
    category: str = "InitialAccess",
    upn: str | None = "amy@contoso.com",
    device: str | None = None,
) -> ev.Alert:
    evidence: list[dict[str, Any]] = []
    if upn:
        evidence.append(
            {
                "@odata.type": "#microsoft.graph.security.userEvidence",
                "userAccount": {"userPrincipalName": upn},
            }
        )
    if device:
        evidence.append(
            {"@odata.type": "#microsoft.graph.security.deviceEvidence", "mdeDeviceId": device}
        )
    return ev.parse_alert(
        {
            "id": aid,
            "title": title,
            "severity": severity,
            "category": category,
            "serviceSource": "microsoftDefenderForOffice365",
            "createdDateTime": iso(at),
            "firstActivityDateTime": iso(at),
            "evidence": evidence,
        }
    )


def rule_change(
    at: datetime,
    *,
    upn: str = "amy@contoso.com",
    rule_id: str = "r1",
    forward: str | None = None,
    delete: bool = False,
    move: str | None = None,
    sender: str | None = None,
    change: str = "added",
) -> ev.MessageRuleChange:
    actions: dict[str, Any] = {}
    if forward:
        actions["forwardTo"] = [{"emailAddress": {"address": forward}}]
    if delete:
        actions["delete"] = True
    if move:
        actions["moveToFolder"] = move
    conditions: dict[str, Any] = {}
    if sender:
        conditions["fromAddresses"] = [{"emailAddress": {"address": sender}}]
    return ev.parse_message_rule_change(
        {
            "id": f"{upn}/{rule_id}/{iso(at)}",
            "observedDateTime": iso(at),
            "changeType": change,
            "userId": f"id-{upn}",
            "userPrincipalName": upn,
            "rule": {
                "id": rule_id,
                "displayName": "rule",
                "isEnabled": True,
                "actions": actions,
                "conditions": conditions,
            },
        }
    )


ALL_STREAMS = frozenset(
    {"signIns", "directoryAudits", "riskDetections", "alerts", "messageRuleChanges"}
)


def data(
    events: EventSet,
    history: EventSet | None = None,
    **kwargs: Any,
) -> DetectionInput:
    kwargs.setdefault("streams", ALL_STREAMS)
    kwargs.setdefault("internal_domains", DOMAINS)
    return DetectionInput(
        tenant="main",
        now=T0.replace(hour=23),
        events=events,
        history=history or EventSet(),
        **kwargs,
    )
