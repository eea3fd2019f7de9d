"""Generate src/cosec/simulator/data/graph_properties.json from the Graph v1.0 CSDL.

`python -m tests.simulator.graph_properties` rewrites it; a test fails when it is stale.
For each endpoint the simulator serves: the entity type the path returns and every
property `$select` may name — the type's own and inherited ones, plus those of its
derived types, since Graph accepts those on a polymorphic collection (directoryObject
members, the named-location and compliance-policy families). `own` lists the type's
own and inherited properties: only those come back as null when an object lacks them (a
derived type's property may belong to a sibling of the object's type).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.simulator.schema import Schema, load_schema

from cosec.simulator.api.graph_specs import SPECS

OUT = Path(__file__).resolve().parents[2] / "src/cosec/simulator/data/graph_properties.json"


def build(schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, spec in sorted(SPECS.items()):
        path = spec.path.replace("{id}", "x")
        type_name = schema.type_for_path(path).removeprefix("Collection(").removesuffix(")")
        family = [t for t in schema.types if schema.derives_from(t, type_name)]
        names: set[str] = set()
        for t in family:
            names |= set(schema.all_props(t))
        out[key] = {
            "type": type_name,
            "properties": sorted(names),
            "own": sorted(schema.all_props(type_name)),
        }
    return out


def render(schema: Schema) -> str:
    return json.dumps(build(schema), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(load_schema()), encoding="utf-8")
    print(f"wrote {OUT}")
