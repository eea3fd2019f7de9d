"""A validator for JSON bodies against Microsoft Graph's v1.0 CSDL schema.

Reads EntityType / ComplexType / EnumType (with BaseType inheritance, Abstract,
Nullable, Collection(...) types and enum members, flags included) and the
EntityContainer, so the type of a response can be derived from the request path the
way Graph defines it (entity sets, singletons, then navigation or structural
properties, with key segments in between).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CSDL = Path(__file__).resolve().parents[1] / "data" / "graph" / "v1.0-Prod.csdl"
_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$")
_DURATION = re.compile(r"^-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]*={0,2}$")


@dataclass(frozen=True)
class Prop:
    type: str
    nullable: bool


@dataclass
class StructType:
    name: str
    base: str | None
    abstract: bool
    props: dict[str, Prop] = field(default_factory=dict)
    navs: dict[str, Prop] = field(default_factory=dict)


@dataclass
class Schema:
    types: dict[str, StructType]
    enums: dict[str, tuple[frozenset[str], bool]]  # members, is_flags
    roots: dict[str, str]  # entity sets → Collection(type), singletons → type

    # --- lookups ---------------------------------------------------------------------

    def all_props(self, type_name: str) -> dict[str, Prop]:
        out: dict[str, Prop] = {}
        current: str | None = type_name
        while current is not None:
            t = self.types[current]
            for name, prop in {**t.props, **t.navs}.items():
                out.setdefault(name, prop)
            current = t.base
        return out

    def derives_from(self, child: str, parent: str) -> bool:
        current: str | None = child
        while current is not None:
            if current == parent:
                return True
            current = self.types[current].base if current in self.types else None
        return False

    def type_for_path(self, path: str) -> str:
        """The (possibly Collection(...)) type a Graph v1.0 path returns."""
        segments = [s for s in path.strip("/").split("/") if s]
        current = self.roots[segments[0]]
        for segment in segments[1:]:
            if current.startswith("Collection("):
                current = current[len("Collection(") : -1]  # a key segment
                continue
            props = self.all_props(current)
            if segment not in props:
                raise KeyError(f"{current} has no property {segment!r} (path {path})")
            current = props[segment].type
        return current

    # --- validation ------------------------------------------------------------------

    def validate(self, value: Any, type_ref: str, where: str = "$") -> list[str]:
        if type_ref.startswith("Collection("):
            inner = type_ref[len("Collection(") : -1]
            if not isinstance(value, list):
                return [f"{where}: expected a list of {inner}, got {type(value).__name__}"]
            errors: list[str] = []
            for i, item in enumerate(value):
                if item is None:
                    errors.append(f"{where}[{i}]: null inside a collection")
                else:
                    errors.extend(self.validate(item, inner, f"{where}[{i}]"))
            return errors
        if type_ref.startswith("Edm."):
            return _primitive(value, type_ref, where)
        if type_ref in self.enums:
            members, flags = self.enums[type_ref]
            if not isinstance(value, str):
                return [f"{where}: enum {type_ref} must be a string, got {value!r}"]
            parts = [p.strip() for p in value.split(",")] if flags else [value]
            bad = [p for p in parts if p not in members]
            return [f"{where}: {bad[0]!r} is not a member of {type_ref}"] if bad else []
        if type_ref not in self.types:
            return [f"{where}: unknown type {type_ref}"]
        if not isinstance(value, dict):
            return [f"{where}: expected an object of {type_ref}, got {type(value).__name__}"]
        actual = type_ref
        odata_type = value.get("@odata.type")
        if isinstance(odata_type, str):
            actual = odata_type.lstrip("#")
            if actual not in self.types:
                return [f"{where}: unknown @odata.type {odata_type}"]
            if not self.derives_from(actual, type_ref):
                return [f"{where}: @odata.type {actual} does not derive from {type_ref}"]
        elif self.types[type_ref].abstract:
            return [f"{where}: abstract type {type_ref} needs an @odata.type"]
        props = self.all_props(actual)
        errors = []
        for key, item in value.items():
            if key.startswith("@") or "@" in key:
                continue
            prop = props.get(key)
            if prop is None:
                # Strict even on OpenType types: the simulator sends no extension
                # properties, so an unknown name is a misspelling.
                errors.append(f"{where}.{key}: no such property on {actual}")
                continue
            if item is None:
                if not prop.nullable:
                    errors.append(f"{where}.{key}: null but not nullable on {actual}")
                continue
            errors.extend(self.validate(item, prop.type, f"{where}.{key}"))
        return errors

    def validate_response(self, body: Any, path: str) -> list[str]:
        """A Graph response body for `path`: a collection page or a single object."""
        type_ref = self.type_for_path(path)
        if type_ref.startswith("Collection("):
            if not isinstance(body, dict) or not isinstance(body.get("value"), list):
                return ["$: a collection response needs a 'value' list"]
            extra = [k for k in body if k != "value" and not k.startswith("@")]
            errors = [f"$.{k}: unexpected top-level key" for k in extra]
            return errors + self.validate(body["value"], type_ref, "$.value")
        return self.validate(body, type_ref)


def _primitive(value: Any, edm: str, where: str) -> list[str]:
    ok: bool
    if edm == "Edm.String":
        ok = isinstance(value, str)
    elif edm == "Edm.Boolean":
        ok = isinstance(value, bool)
    elif edm in ("Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif edm in ("Edm.Double", "Edm.Single", "Edm.Decimal"):
        ok = (isinstance(value, int | float) and not isinstance(value, bool)) or value in (
            "NaN",
            "INF",
            "-INF",
        )
    elif edm == "Edm.DateTimeOffset":
        ok = isinstance(value, str) and bool(_DATETIME.match(value))
    elif edm == "Edm.Date":
        ok = isinstance(value, str) and bool(_DATE.match(value))
    elif edm == "Edm.TimeOfDay":
        ok = isinstance(value, str) and bool(_TIME.match(value))
    elif edm == "Edm.Duration":
        ok = isinstance(value, str) and bool(_DURATION.match(value))
    elif edm == "Edm.Guid":
        ok = isinstance(value, str) and bool(_GUID.match(value))
    elif edm == "Edm.Binary":
        ok = isinstance(value, str) and bool(_BASE64.match(value))
    else:  # Edm.Stream, Edm.Untyped and friends: anything JSON
        ok = True
    return [] if ok else [f"{where}: {value!r} is not a valid {edm}"]


@cache
def load_schema(path: Path = CSDL) -> Schema:
    root = ET.parse(path).getroot()
    aliases: dict[str, str] = {}
    for schema in root.iter(f"{_EDM}Schema"):
        ns = schema.attrib["Namespace"]
        aliases[ns] = ns
        if "Alias" in schema.attrib:
            aliases[schema.attrib["Alias"]] = ns

    def qualify(ref: str) -> str:
        if ref.startswith("Collection("):
            return f"Collection({qualify(ref[len('Collection(') : -1])})"
        if ref.startswith("Edm."):
            return ref
        prefix, _, name = ref.rpartition(".")
        return f"{aliases.get(prefix, prefix)}.{name}"

    types: dict[str, StructType] = {}
    enums: dict[str, tuple[frozenset[str], bool]] = {}
    roots: dict[str, str] = {}
    for schema in root.iter(f"{_EDM}Schema"):
        ns = schema.attrib["Namespace"]
        for node in schema:
            tag = node.tag.removeprefix(_EDM)
            if tag in ("EntityType", "ComplexType"):
                t = StructType(
                    name=f"{ns}.{node.attrib['Name']}",
                    base=qualify(node.attrib["BaseType"]) if "BaseType" in node.attrib else None,
                    abstract=node.attrib.get("Abstract") == "true",
                )
                for child in node:
                    ctag = child.tag.removeprefix(_EDM)
                    if ctag not in ("Property", "NavigationProperty"):
                        continue
                    prop = Prop(
                        type=qualify(child.attrib["Type"]),
                        nullable=child.attrib.get("Nullable", "true") != "false",
                    )
                    (t.props if ctag == "Property" else t.navs)[child.attrib["Name"]] = prop
                types[t.name] = t
            elif tag == "EnumType":
                members = frozenset(m.attrib["Name"] for m in node.iter(f"{_EDM}Member"))
                enums[f"{ns}.{node.attrib['Name']}"] = (
                    members,
                    node.attrib.get("IsFlags") == "true",
                )
            elif tag == "EntityContainer":
                for entry in node:
                    etag = entry.tag.removeprefix(_EDM)
                    if etag == "EntitySet":
                        roots[entry.attrib["Name"]] = (
                            f"Collection({qualify(entry.attrib['EntityType'])})"
                        )
                    elif etag == "Singleton":
                        roots[entry.attrib["Name"]] = qualify(entry.attrib["Type"])
    return Schema(types=types, enums=enums, roots=roots)


class BodyAudit:
    """Validates every successful Graph body a simulator serves (install `record` as
    `handle.state.on_response`); violations accumulate for a test to assert on."""

    def __init__(self) -> None:
        self.checked = 0
        self.violations: list[str] = []

    def record(self, service: str, path: str, status: int, body: Any) -> None:
        if service != "graph" or status >= 400 or not isinstance(body, dict):
            return
        path = path.strip("/")
        if path.startswith("$batch"):
            return
        if path == "users/delta":
            path = "users"
        try:
            errors = load_schema().validate_response(body, path)
        except KeyError:
            return  # an action's answer (e.g. revokeSignInSessions), not an entity path
        self.checked += 1
        self.violations.extend(f"{path}: {e}" for e in errors[:5])


SESSION_AUDIT = BodyAudit()
