"""The responsibility map: who configures, monitors, responds and keeps evidence.

A workspace picks a preset (package data in `cosec.governance.presets`) and overrides
cells in cosec.yaml. Resolving the map checks every area × duty cell and reports
problems instead of failing: a cell nobody owns, one owned jointly (so by no one), one
whose role nobody in that party holds, one given to Microsoft (which holds platform
duties only), or an evidence cell without source and freshness. Every finding, alert
and metric takes its owners from `area_owners`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from cosec.config import CellOverride, Party, ResponsibilityCell, Role, Workspace
from cosec.errors import ConfigError
from cosec.model.governance import AreaOwners, ControlArea, Duty, Owner

PRESETS = ("co-managed", "fully-managed")


class _PresetFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    cells: dict[ControlArea, dict[Duty, ResponsibilityCell]]


class _PlatformDuty(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    area: ControlArea
    duty: str


@dataclass(frozen=True)
class PlatformDuty:
    """A duty Microsoft holds for the service itself (shared responsibility model)."""

    area: ControlArea
    duty: str


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    cells: dict[tuple[ControlArea, Duty], ResponsibilityCell]


@dataclass(frozen=True)
class Cell:
    """One resolved cell of the map."""

    area: ControlArea
    duty: Duty
    parties: tuple[str, ...]
    role: str
    person: str | None
    escalation: str | None
    evidence_source: str | None
    evidence_freshness: timedelta | None
    overridden: bool
    # the declared person, else the only person of the party holding the role
    acting_person: str | None = None


@dataclass(frozen=True)
class CellProblem:
    area: ControlArea
    duty: Duty
    kind: str  # unowned | ambiguous | unstaffed | misassigned | invalid | incomplete
    message: str

    @property
    def key(self) -> str:
        return f"{self.area.value}/{self.duty.value}"


@dataclass(frozen=True)
class ResponsibilityMap:
    preset: str
    cells: dict[tuple[ControlArea, Duty], Cell | None]
    platform: tuple[PlatformDuty, ...]
    problems: tuple[CellProblem, ...]

    def cell(self, area: ControlArea, duty: Duty) -> Cell | None:
        return self.cells.get((area, duty))

    def unowned_keys(self) -> tuple[str, ...]:
        """Cells without a usable owner (an incomplete evidence cell still has one)."""
        return tuple(dict.fromkeys(p.key for p in self.problems if p.kind != "incomplete"))

    def owners(self) -> dict[ControlArea, AreaOwners]:
        bad = {(p.area, p.duty) for p in self.problems if p.kind != "incomplete"}
        result: dict[ControlArea, AreaOwners] = {}
        for area in ControlArea:
            owners: dict[Duty, Owner | None] = {}
            for duty in Duty:
                cell = self.cells.get((area, duty))
                ok = cell is not None and (area, duty) not in bad
                owners[duty] = (
                    Owner(cell.parties[0], cell.role, cell.acting_person, cell.escalation)
                    if ok and cell is not None
                    else None
                )
            evidence = self.cells.get((area, Duty.EVIDENCE))
            result[area] = AreaOwners(
                area=area,
                configure=owners[Duty.CONFIGURE],
                monitor=owners[Duty.MONITOR],
                respond=owners[Duty.RESPOND],
                evidence=owners[Duty.EVIDENCE],
                evidence_source=evidence.evidence_source if evidence else None,
                evidence_freshness=evidence.evidence_freshness if evidence else None,
            )
        return result


def _read_package_yaml(name: str) -> Any:
    text = resources.files("cosec.governance.presets").joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


@cache
def load_preset(name: str) -> Preset:
    """Load a preset shipped with cosec; `ConfigError` names the known ones."""
    if name not in PRESETS:
        raise ConfigError(f"unknown responsibility-map preset {name!r} (known: {PRESETS})")
    try:
        parsed = _PresetFile.model_validate(_read_package_yaml(f"{name}.yaml"))
    except ValidationError as exc:
        raise ConfigError(f"preset {name} is invalid: {exc.errors()[0]['msg']}") from None
    cells = {(a, d): c for a, duties in parsed.cells.items() for d, c in duties.items()}
    return Preset(parsed.name, parsed.description, cells)


@cache
def platform_duties() -> tuple[PlatformDuty, ...]:
    """Microsoft's duties for the service itself, pre-filled in every map."""
    raw = _read_package_yaml("microsoft.yaml")
    return tuple(
        PlatformDuty(d.area, d.duty) for d in (_PlatformDuty.model_validate(x) for x in raw)
    )


def _merge(base: ResponsibilityCell | None, override: CellOverride) -> ResponsibilityCell:
    fields = dict(base.model_dump()) if base is not None else {}
    fields.update({k: getattr(override, k) for k in override.model_fields_set})
    try:
        return ResponsibilityCell.model_validate(fields)
    except ValidationError as exc:
        raise ConfigError(
            "an override adds a cell the preset lacks, so it must give party and role "
            f"({exc.errors()[0]['msg']})",
            field="responsibility_map.overrides",
        ) from None


def _parties(cell: ResponsibilityCell) -> tuple[str, ...]:
    parties = cell.party if isinstance(cell.party, tuple) else (cell.party,)
    return tuple(dict.fromkeys(p.value for p in parties))


def _check(cell: Cell, workspace: Workspace) -> list[tuple[str, str]]:
    """Problems of one resolved cell as (kind, message) pairs."""
    if len(cell.parties) > 1:
        joint = " and ".join(cell.parties)
        return [("ambiguous", f"owned jointly by {joint}: name one owning party")]
    party = cell.parties[0]
    if party == Party.MICROSOFT:
        return [
            (
                "misassigned",
                "Microsoft holds platform duties only; this duty is the tenant's "
                "(give it to internal or partner)",
            )
        ]
    if cell.role not in set(Role):
        return [("invalid", f"{cell.role!r} is not a role (see people roles in cosec.yaml)")]
    role = Role(cell.role)
    problems: list[tuple[str, str]] = []
    if cell.person is not None:
        try:
            person = workspace.person(cell.person)
        except ConfigError:
            return [("invalid", f"no person {cell.person!r} in cosec.yaml")]
        if not person.has_role(role) or person.party != party:
            problems.append(
                ("invalid", f"{person.id} ({person.party}) is not {role.value} of {party}")
            )
    elif not workspace.people_with(role, Party(party)):
        problems.append(("unstaffed", f"nobody of the {party} party holds the role {role}"))
    if cell.duty is Duty.EVIDENCE and (
        cell.evidence_source is None or cell.evidence_freshness is None
    ):
        problems.append(("incomplete", "evidence needs evidence_source and evidence_freshness"))
    return problems


def _sole_holder(cell: ResponsibilityCell, workspace: Workspace) -> str | None:
    """The one person of the cell's party holding its role, if exactly one does."""
    if isinstance(cell.party, tuple) or cell.role not in set(Role):
        return None
    holders = [p for p in workspace.people if p.party == cell.party and Role(cell.role) in p.roles]
    return holders[0].id if len(holders) == 1 else None


def build_map(workspace: Workspace) -> ResponsibilityMap:
    """Resolve the workspace's preset and overrides into a checked map."""
    settings = workspace.responsibility_map
    preset = load_preset(settings.preset)
    cells: dict[tuple[ControlArea, Duty], Cell | None] = {}
    problems: list[CellProblem] = []
    for area in ControlArea:
        overrides = settings.overrides.get(area, {})
        for duty in Duty:
            base = preset.cells.get((area, duty))
            overridden = duty in overrides
            declared: ResponsibilityCell | None = base
            if overridden:
                override = overrides[duty]
                declared = None if override is None else _merge(base, override)
            if declared is None:
                cells[(area, duty)] = None
                problems.append(CellProblem(area, duty, "unowned", "nobody owns this duty"))
                continue
            cell = Cell(
                area=area,
                duty=duty,
                parties=_parties(declared),
                role=declared.role,
                person=declared.person,
                escalation=declared.escalation,
                evidence_source=declared.evidence_source,
                evidence_freshness=declared.evidence_freshness,
                overridden=overridden,
                acting_person=declared.person or _sole_holder(declared, workspace),
            )
            cells[(area, duty)] = cell
            problems.extend(CellProblem(area, duty, k, m) for k, m in _check(cell, workspace))
    return ResponsibilityMap(settings.preset, cells, platform_duties(), tuple(problems))


def area_owners(workspace: Workspace) -> dict[ControlArea, AreaOwners]:
    """The owners of every control area; a duty with a problem has owner None."""
    return build_map(workspace).owners()


def unowned_cells(workspace: Workspace) -> tuple[str, ...]:
    """ "area/duty" of every unowned, ambiguous or otherwise unusable cell."""
    return build_map(workspace).unowned_keys()
