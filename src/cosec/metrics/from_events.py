"""Facts from Defender XDR alerts and incidents (`cosec.model.events`).

cosec's own triage queue records triage times; when a caller has only Microsoft's alert
records, the time an alert left status `new` (its resolution, or its last update once
in progress) stands in for triage, which is what these functions compute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from cosec.metrics.compute import HIGH_RISK_SIGN_IN, USER_REPORTED_PHISH
from cosec.metrics.facts import DEFENDER_INCIDENTS, AlertFact, IncidentFact
from cosec.model.events import Alert, Incident, parse_datetime

USER_REPORTED_TITLE = "email reported by user as malware or phish"
RISKY_SIGN_IN_SOURCES = {"azureadidentityprotection", "entraidprotection"}


def alert_category(alert: Alert) -> str:
    title = (alert.title or "").casefold()
    source = (alert.detection_source or "").casefold()
    if USER_REPORTED_TITLE in title:
        return USER_REPORTED_PHISH
    if source in RISKY_SIGN_IN_SOURCES and (alert.severity or "").casefold() == "high":
        return HIGH_RISK_SIGN_IN
    return (alert.category or "uncategorised").casefold()


def _triaged_at(alert: Alert) -> datetime | None:
    resolved = parse_datetime(alert.raw.get("resolvedDateTime"))
    if resolved is not None:
        return resolved
    if (alert.status or "new").casefold() not in ("new", "unknown"):
        return alert.last_update_at
    return None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


R = TypeVar("R", Alert, Incident)


def _latest(records: Iterable[R]) -> dict[str, R]:
    """The most recently updated record of each id (streams repeat updated objects)."""
    ordered = sorted(records, key=lambda r: r.last_update_at or r.created_at or _EPOCH)
    return {r.id: r for r in ordered}


def alert_facts(alerts: Iterable[Alert], sla: Mapping[str, timedelta]) -> tuple[AlertFact, ...]:
    """One fact per alert id (the latest record wins); alerts without a time are skipped."""
    latest = _latest(alerts)
    out = []
    for a in latest.values():
        if a.created_at is None:
            continue
        severity = (a.severity or "informational").casefold()
        out.append(
            AlertFact(
                id=a.id,
                category=alert_category(a),
                severity=severity,
                activity_at=a.first_activity_at,
                created_at=a.created_at,
                triaged_at=_triaged_at(a),
                resolved_at=parse_datetime(a.raw.get("resolvedDateTime")),
                triage_sla=sla.get(severity),
            )
        )
    return tuple(out)


def incident_facts(
    incidents: Iterable[Incident], alerts: Iterable[Alert]
) -> tuple[IncidentFact, ...]:
    """Incidents with their start taken from the earliest activity of their alerts."""
    started: dict[str, datetime] = {}
    for a in alerts:
        at = a.occurred_at
        if a.incident_id and at and (a.incident_id not in started or at < started[a.incident_id]):
            started[a.incident_id] = at
    latest = _latest(incidents)
    out = []
    for i in latest.values():
        if i.created_at is None:
            continue
        resolved = (i.status or "").casefold() == "resolved"
        out.append(
            IncidentFact(
                id=i.id,
                severity=(i.severity or "unknown").casefold(),
                started_at=started.get(i.id),
                detected_at=i.created_at,
                resolved_at=(i.last_update_at or i.created_at) if resolved else None,
                source=DEFENDER_INCIDENTS,
            )
        )
    return tuple(out)
