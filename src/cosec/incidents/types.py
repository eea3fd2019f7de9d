"""Matching alerts to the configured incident types."""

from __future__ import annotations

import re

from cosec.config import IncidentResponseSettings

_VERSION = re.compile(r"v\d+$")


def incident_type_for(settings: IncidentResponseSettings, rule_id: str) -> str | None:
    """The first configured incident type whose qualifying detections include the rule."""
    base = _VERSION.sub("", rule_id)
    for key, incident_type in settings.types.items():
        if base in incident_type.detections:
            return key
    return None
