"""Matching alerts to the configured incident types."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cosec.config import IncidentResponseSettings

_VERSION = re.compile(r"v\d+$")


def incident_type_for(settings: IncidentResponseSettings, rule_ids: Sequence[str]) -> str | None:
    """The first configured incident type whose qualifying detections include one of the
    rules, trying the rules in order (so the first alert given decides when it can)."""
    for rule_id in rule_ids:
        base = _VERSION.sub("", rule_id)
        for key, incident_type in settings.types.items():
            if base in incident_type.detections:
                return key
    return None
