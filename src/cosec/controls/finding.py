"""A finding: one control's result on one snapshot, with evidence and owners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cosec.config import Severity
from cosec.controls.base import ObjectRef, Observation, Status
from cosec.model.governance import AreaOwners, ControlArea, Duty

NAMED = 10  # objects named in the one-line summary; `unexcepted` holds all of them


@dataclass(frozen=True)
class Finding:
    control_id: str
    title: str
    area: ControlArea
    severity: Severity
    status: Status
    summary: str
    evidence: tuple[Observation, ...] = ()
    affected: tuple[ObjectRef, ...] = ()  # objects that fail the control
    accepted_by: tuple[str, ...] = ()  # exception ids that cover affected objects
    unexcepted: tuple[ObjectRef, ...] = ()  # failing objects no exception covers
    owners: AreaOwners | None = None
    missing_resource: str | None = None
    missing_permission: str | None = None
    missing_licence: str | None = None

    @property
    def would_pass_with(self) -> str:
        """'would pass with exceptions for: …' when only excepted objects stand between."""
        if self.status is not Status.FAIL or not self.unexcepted:
            return ""
        names = [o.label() for o in self.unexcepted[:NAMED]]
        more = len(self.unexcepted) - NAMED
        tail = f" and {more} more" if more > 0 else ""
        return "would pass with exceptions for: " + ", ".join(names) + tail

    def owner_labels(self) -> dict[str, str]:
        if self.owners is None:
            return {}
        out: dict[str, str] = {}
        for duty in Duty:
            owner = self.owners.for_duty(duty)
            out[duty.value] = owner.label() if owner else "UNOWNED"
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "control_id": self.control_id,
            "title": self.title,
            "area": self.area.value,
            "severity": self.severity.value,
            "status": self.status.value,
            "summary": self.summary,
            "would_pass_with": self.would_pass_with,
            "evidence": [o.as_dict() for o in self.evidence],
            "affected": [
                {"resource": o.resource, "id": o.id, "name": o.name} for o in self.affected
            ],
            "accepted_by": list(self.accepted_by),
            "unexcepted": [
                {"resource": o.resource, "id": o.id, "name": o.name} for o in self.unexcepted
            ],
            "owners": self.owner_labels(),
            "missing_resource": self.missing_resource,
            "missing_permission": self.missing_permission,
            "missing_licence": self.missing_licence,
        }
