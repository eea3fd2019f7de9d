"""Endpoint and Defender XDR: high-severity alerts, malware, device isolation."""

from __future__ import annotations

from cosec.config import Severity
from cosec.detect.mail import is_user_reported
from cosec.detect.rules import DetectionInput, Evidence, Hit, HitBuilder, Rule
from cosec.model.events import Alert, norm
from cosec.model.governance import ControlArea


def _is_malware_or_isolation(alert: Alert) -> bool:
    title = norm(alert.title)
    if is_user_reported(alert.title):
        return False
    return norm(alert.category) == "malware" or "isolat" in title or "malware" in title


def _xdr_high(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(XDR_HIGH)
    for alert in data.events.alerts:
        if norm(alert.severity) not in ("high", "critical"):
            continue
        if is_user_reported(alert.title) or _is_malware_or_isolation(alert):
            continue  # their own rules raise these
        at = alert.occurred_at or data.now
        subject = (alert.user_principal_names or alert.device_ids or (alert.id,))[0]
        hits.add(
            (alert.id,),
            subject=subject,
            at=at,
            evidence=Evidence("alerts", alert.id, at, f"{alert.title} ({alert.service_source})"),
            details={"defender_alert": alert.id, "title": alert.title or ""},
        )
    return hits.hits()


XDR_HIGH = Rule(
    id="DET-XDR-001v1",
    title="Defender high-severity alert",
    severity=Severity.HIGH,
    area=ControlArea.INCIDENT_RESPONSE,
    csf=("DE.AE-02", "DE.AE-06"),
    streams=("alerts",),
    evaluate=_xdr_high,
    description="Microsoft Defender XDR raised a high-severity alert.",
)


def _endpoint(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(ENDPOINT)
    for alert in data.events.alerts:
        if not _is_malware_or_isolation(alert):
            continue
        at = alert.occurred_at or data.now
        device = alert.device_ids[0] if alert.device_ids else alert.id
        severity = Severity.HIGH if norm(alert.severity) in ("high", "critical") else None
        hits.add(
            (device, norm(alert.category) or "isolation"),
            subject=device,
            at=at,
            severity=severity,
            evidence=Evidence("alerts", alert.id, at, alert.title or "endpoint alert"),
            details={"device": device, "defender_alert": alert.id, "title": alert.title or ""},
        )
    return hits.hits()


ENDPOINT = Rule(
    id="DET-EDR-001v1",
    title="Endpoint isolated or malware on a device",
    severity=Severity.MEDIUM,
    area=ControlArea.ENDPOINT,
    csf=("DE.CM-09", "DE.AE-02"),
    streams=("alerts",),
    evaluate=_endpoint,
    description=(
        "Defender for Endpoint reports malware on a device, or a device was isolated "
        "(raised to high when Defender rates the alert high)."
    ),
)

RULES = (XDR_HIGH, ENDPOINT)
