"""Incident timeline entries and the response times derived from them: the one definition.

    time to detect      first detection (alert raised) − first malicious event
    time to acknowledge triage start (or declaration)  − first detection
    time to contain     status contained               − first detection
    time to recover     status recovered (or closed)   − first detection

Every figure after detection is measured from the *first detection*, which is the first
alert raised for the incident, or its declaration when no alert led to it
(`detected_by` names which). MTTD/MTTA/MTTC/MTTR over a set of incidents are the means
of these per-incident times, skipping incidents that have not reached the milestone.
The CLI (`cosec incidents times`), the metrics and the reviews all read these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class EntryKind(StrEnum):
    EVENT = "event"  # first malicious event (from the alert's evidence)
    DETECTION = "detection"  # alert raised
    TRIAGE = "triage"  # triage started
    DECLARATION = "declaration"
    ACTION = "action"  # a response action ran (or was dry-run, refused, requested)
    APPROVAL = "approval"
    STATUS = "status"
    CONTAINMENT = "containment"  # a checklist item checked off
    COMMUNICATION = "communication"  # someone was informed
    NOTE = "note"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: EntryKind
    actor: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResponseTimes:
    time_to_detect: timedelta | None
    time_to_acknowledge: timedelta | None
    time_to_contain: timedelta | None
    time_to_recover: timedelta | None


@dataclass(frozen=True)
class Milestones:
    """The instants the response times are measured between."""

    event_at: datetime | None  # first malicious event
    detected_at: datetime | None  # first detection
    detected_by: str  # "alert" | "declaration" | "" (neither on the timeline)
    acknowledged_at: datetime | None
    contained_at: datetime | None
    recovered_at: datetime | None  # status recovered, else closed


def _at(entries: Sequence[TimelineEntry], kind: EntryKind, status: str = "") -> datetime | None:
    found = [
        e.at for e in entries if e.kind is kind and (not status or e.data.get("status") == status)
    ]
    return min(found) if found else None


def milestones(entries: Sequence[TimelineEntry]) -> Milestones:
    alert = _at(entries, EntryKind.DETECTION)
    declared = _at(entries, EntryKind.DECLARATION)
    acks = [t for t in (_at(entries, EntryKind.TRIAGE), declared) if t]
    return Milestones(
        event_at=_at(entries, EntryKind.EVENT),
        detected_at=alert or declared,
        detected_by="alert" if alert else "declaration" if declared else "",
        acknowledged_at=min(acks) if acks else None,
        contained_at=_at(entries, EntryKind.STATUS, "contained"),
        recovered_at=_at(entries, EntryKind.STATUS, "recovered")
        or _at(entries, EntryKind.STATUS, "closed"),
    )


def response_times(entries: Sequence[TimelineEntry]) -> ResponseTimes:
    m = milestones(entries)

    def since(start: datetime | None, end: datetime | None) -> timedelta | None:
        return end - start if start is not None and end is not None else None

    return ResponseTimes(
        time_to_detect=since(m.event_at, m.detected_at),
        time_to_acknowledge=since(m.detected_at, m.acknowledged_at),
        time_to_contain=since(m.detected_at, m.contained_at),
        time_to_recover=since(m.detected_at, m.recovered_at),
    )


def mean(values: Iterable[timedelta | None]) -> timedelta | None:
    present = [v for v in values if v is not None]
    return sum(present, timedelta(0)) / len(present) if present else None
