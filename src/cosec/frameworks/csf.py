"""NIST CSF 2.0, loaded from NIST's OSCAL catalog shipped as package data.

The catalog keeps CSF 1.1 ids as withdrawn items for traceability; they carry the prop
`status = withdrawn` at category or subcategory level (26 withdrawn subcategories sit under
active categories), so the loader filters on that prop at both levels, never by id shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

CATALOG_FILE = "nist-csf-2.0.oscal.json"


@dataclass(frozen=True)
class Subcategory:
    id: str  # e.g. "PR.AA-01"
    category: str  # e.g. "PR.AA"
    outcome: str


@dataclass(frozen=True)
class Category:
    id: str
    function: str
    title: str
    subcategories: tuple[Subcategory, ...]


@dataclass(frozen=True)
class Function:
    id: str  # e.g. "PR"
    title: str  # e.g. "PROTECT"
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class CsfCatalog:
    version: str
    functions: tuple[Function, ...]

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(c for f in self.functions for c in f.categories)

    @property
    def subcategories(self) -> dict[str, Subcategory]:
        return {s.id: s for c in self.categories for s in c.subcategories}

    def subcategory(self, subcategory_id: str) -> Subcategory:
        found = self.subcategories.get(subcategory_id)
        if found is None:
            raise KeyError(f"{subcategory_id!r} is not an active NIST CSF 2.0 subcategory")
        return found


def _withdrawn(item: dict[str, Any]) -> bool:
    return any(
        p.get("name") == "status" and p.get("value") == "withdrawn" for p in item.get("props", [])
    )


def _statement(item: dict[str, Any]) -> str:
    for part in item.get("parts", []):
        if part.get("name") == "statement":
            return str(part.get("prose", ""))
    return ""


def parse_catalog(document: dict[str, Any]) -> CsfCatalog:
    """Build the active CSF 2.0 tree from an OSCAL catalog document."""
    catalog = document["catalog"]
    functions: list[Function] = []
    for group in catalog.get("groups", []):
        if group.get("class") != "function" or _withdrawn(group):
            continue
        categories: list[Category] = []
        for cat in group.get("controls", []):
            if cat.get("class") != "category" or _withdrawn(cat):
                continue
            subs = tuple(
                Subcategory(id=sub["id"], category=cat["id"], outcome=_statement(sub))
                for sub in cat.get("controls", [])
                if sub.get("class") == "subcategory" and not _withdrawn(sub)
            )
            categories.append(Category(cat["id"], group["id"], cat.get("title", ""), subs))
        functions.append(Function(group["id"], group.get("title", ""), tuple(categories)))
    return CsfCatalog(
        version=str(catalog["metadata"].get("version", "")), functions=tuple(functions)
    )


@cache
def load_csf() -> CsfCatalog:
    """The NIST CSF 2.0 catalog shipped with cosec (parsed once per process)."""
    text = files("cosec.frameworks").joinpath("data", CATALOG_FILE).read_text(encoding="utf-8")
    return parse_catalog(json.loads(text))
