"""The control catalog: every `CONTROL` in the area packages, validated once.

Controls are discovered from `cosec.controls.<area>.<module>` so adding a control is adding
a module. Validation fails loudly on duplicate or malformed ids, unknown CSF 2.0
subcategories and unknown resource keys — a broken catalog must not assess anything.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from cosec.controls.base import Control
from cosec.frameworks.csf import load_csf
from cosec.model.governance import ControlArea
from cosec.model.resources import RESOURCES

ID_PATTERN = re.compile(r"^[A-Z]{2,3}-\d{3}v\d+$")
AREA_PACKAGES: dict[ControlArea, str] = {
    ControlArea.IDENTITY: "identity",
    ControlArea.EMAIL: "email",
    ControlArea.ENDPOINT: "endpoint",
    ControlArea.VULNERABILITY_MANAGEMENT: "vulnerability",
    ControlArea.DATA_RECOVERY: "data_recovery",
    ControlArea.INCIDENT_RESPONSE: "incident_response",
    ControlArea.GOVERNANCE: "governance",
}


class CatalogError(ValueError):
    """The control catalog is inconsistent (a programming error, caught by tests)."""


def validate(controls: list[Control]) -> None:
    csf = load_csf().subcategories
    seen: dict[str, str] = {}
    for c in controls:
        problems = []
        if not ID_PATTERN.match(c.id):
            problems.append("id must look like IDN-001v1")
        for old in (c.id, *c.replaces):
            if old in seen:
                problems.append(f"id {old} also used by {seen[old]}")
            seen[old] = c.id
        problems += [f"unknown CSF 2.0 subcategory {s}" for s in c.csf if s not in csf]
        problems += [
            f"unknown resource {r}" for r in (*c.requires, *c.optional) if r not in RESOURCES
        ]
        if not c.csf:
            problems.append("maps to no CSF 2.0 subcategory")
        if problems:
            raise CatalogError(f"{c.id}: " + "; ".join(problems))


@cache
def load_catalog() -> tuple[Control, ...]:
    """All controls, ordered by area then id."""
    found: list[Control] = []
    for package in AREA_PACKAGES.values():
        module = importlib.import_module(f"cosec.controls.{package}")
        for info in pkgutil.iter_modules(module.__path__):
            sub = importlib.import_module(f"cosec.controls.{package}.{info.name}")
            control = getattr(sub, "CONTROL", None)
            if isinstance(control, Control):
                found.append(control)
    validate(found)
    order = list(AREA_PACKAGES)
    return tuple(sorted(found, key=lambda c: (order.index(c.area), c.id)))


def renamed() -> dict[str, str]:
    """Earlier control ids → the current id (so history and exceptions follow renames)."""
    return {old: c.id for c in load_catalog() for old in c.replaces}


def control_by_id(control_id: str) -> Control:
    current = renamed().get(control_id, control_id)
    for c in load_catalog():
        if c.id == current:
            return c
    raise KeyError(f"no control {control_id!r}")
