"""What a control is and what its check returns.

A check is a pure function of the typed tenant view and the assessment context. It
returns a `Result`: the observations (object, property path, observed vs expected value,
ok or not) that decided it. The engine — not the check — turns that into a status, applies
exceptions and attaches owners, so every control follows the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from cosec.config import Severity
from cosec.model.governance import ControlArea
from cosec.model.resources import Licence

if TYPE_CHECKING:
    from cosec.controls.context import AssessmentContext
    from cosec.model.view import TenantView


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ACCEPTED = "accepted"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"
    ERROR = "error"


class ObjectRef(NamedTuple):
    """An object in the raw snapshot: resource key + object id, with a readable name.

    ObjectRef and Observation are named tuples rather than frozen dataclasses: a large
    tenant's run creates tens of thousands of them, and tuple construction and hashing
    run in C (measured: the evidence-heavy controls took a third less time).
    """

    resource: str
    id: str
    name: str

    def label(self) -> str:
        return self.name if self.name and self.name != self.id else self.id


class Observation(NamedTuple):
    """One property of one object that decided a finding."""

    object: ObjectRef
    path: str
    observed: Any  # JSON-serialisable
    expected: str
    ok: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource": self.object.resource,
            "object_id": self.object.id,
            "object_name": self.object.name,
            "path": self.path,
            "observed": self.observed,
            "expected": self.expected,
            "ok": self.ok,
        }


@dataclass(frozen=True, slots=True)
class Result:
    """What a check found. `status` forces not_applicable / not_assessed with `reason`."""

    observations: tuple[Observation, ...] = ()
    summary: str = ""
    status: Status | None = None
    reason: str = ""

    @property
    def failing(self) -> tuple[Observation, ...]:
        return tuple(o for o in self.observations if not o.ok)


def observe(
    resource: str,
    object_id: str,
    name: str,
    path: str,
    observed: Any,
    expected: str,
    ok: bool,
) -> Observation:
    return Observation(ObjectRef(resource, object_id, name), path, observed, expected, ok)


def not_assessed(reason: str) -> Result:
    return Result(status=Status.NOT_ASSESSED, reason=reason)


def not_applicable(reason: str) -> Result:
    return Result(status=Status.NOT_APPLICABLE, reason=reason)


@dataclass(frozen=True, slots=True)
class Remediation:
    portal: str  # where to click, e.g. "Entra admin center > Protection > Conditional Access"
    command: str  # a Graph request or PowerShell command that makes the change


Check = Callable[["TenantView", "AssessmentContext"], Result]


@dataclass(frozen=True)
class Control:
    id: str  # stable and versioned: AREA-NNNvN
    title: str
    rationale: str
    severity: Severity
    area: ControlArea
    csf: tuple[str, ...]  # NIST CSF 2.0 subcategory ids
    requires: tuple[str, ...]  # resource keys (cosec.model.resources.RESOURCES)
    remediation: Remediation
    check: Check
    cis: tuple[str, ...] = ()  # CIS M365 Foundations recommendation numbers (v4.0.0/v5.0.0)
    scuba: tuple[str, ...] = ()  # CISA SCuBA policy ids
    optional: tuple[str, ...] = ()  # resource keys read when available (absence is a fact)
    licences: tuple[Licence, ...] = ()  # needed beyond those of the required resources
    replaces: tuple[str, ...] = field(default=())  # earlier ids of this control
    decided_by: str = ""  # how it decides when Microsoft's APIs cannot say (documented)
