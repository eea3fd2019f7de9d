"""Configuration drift: an observed change that no approved change record covers."""

from __future__ import annotations

from cosec.config import Severity
from cosec.detect.rules import DetectionInput, Evidence, Hit, HitBuilder, Rule
from cosec.model.governance import ControlArea


def _drift(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(DRIFT)
    for d in data.drift or ():
        at = d.acted_at or d.detected_at
        by = f" by {d.actor}" if d.actor else ""
        hits.add(
            (d.id,),
            subject=d.object_key,
            at=at,
            evidence=Evidence("drift", d.id, at, f"{d.description}{by}"),
            details={"drift": d.id, "object": d.object_key, "actor": d.actor or ""},
        )
    return hits.hits()


DRIFT = Rule(
    id="DET-DRIFT-001v1",
    title="Unapproved configuration change",
    severity=Severity.MEDIUM,
    area=ControlArea.GOVERNANCE,
    csf=("DE.CM-09", "DE.CM-03"),
    streams=(),
    resources=("drift",),
    evaluate=_drift,
    description=(
        "Drift against the approved baseline that no approved change record covers "
        "(`cosec drift`); accepting the drift or reverting it closes the condition."
    ),
)

RULES = (DRIFT,)
