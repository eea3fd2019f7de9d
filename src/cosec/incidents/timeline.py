"""Incident timeline entries and response times.

Defined once in `cosec.model.derived.incident_times` (the metrics and the reviews read
the same definition) and re-exported here for the incident workflow.
"""

from __future__ import annotations

from cosec.model.derived.incident_times import (
    EntryKind,
    Milestones,
    ResponseTimes,
    TimelineEntry,
    mean,
    milestones,
    response_times,
)

__all__ = [
    "EntryKind",
    "Milestones",
    "ResponseTimes",
    "TimelineEntry",
    "mean",
    "milestones",
    "response_times",
]
