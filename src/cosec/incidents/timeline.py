"""Incident timeline entries and the response-time metrics derived from them.

    time to detect      detection (alert created)  − first malicious event
    time to acknowledge triage start (or declaration) − detection
    time to contain     status contained            − detection
    time to recover     status recovered (or closed) − detection

MTTD/MTTA/MTTC/MTTR over a set of incidents are the means of these per-incident times,
skipping incidents that have not reached the milestone yet.
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


def _at(entries: Sequence[TimelineEntry], kind: EntryKind, status: str = "") -> datetime | None:
    found = [
        e.at for e in entries if e.kind is kind and (not status or e.data.get("status") == status)
    ]
    return min(found) if found else None


def response_times(entries: Sequence[TimelineEntry]) -> ResponseTimes:
    event = _at(entries, EntryKind.EVENT)
    detected = _at(entries, EntryKind.DETECTION) or _at(entries, EntryKind.DECLARATION)
    acks = [t for t in (_at(entries, EntryKind.TRIAGE), _at(entries, EntryKind.DECLARATION)) if t]
    contained = _at(entries, EntryKind.STATUS, "contained")
    recovered = _at(entries, EntryKind.STATUS, "recovered") or _at(
        entries, EntryKind.STATUS, "closed"
    )

    def since(start: datetime | None, end: datetime | None) -> timedelta | None:
        return end - start if start is not None and end is not None else None

    return ResponseTimes(
        time_to_detect=since(event, detected),
        time_to_acknowledge=since(detected, min(acks) if acks else None),
        time_to_contain=since(detected, contained),
        time_to_recover=since(detected, recovered),
    )


def mean(values: Iterable[timedelta | None]) -> timedelta | None:
    present = [v for v in values if v is not None]
    return sum(present, timedelta(0)) / len(present) if present else None
