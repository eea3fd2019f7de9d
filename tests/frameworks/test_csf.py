from __future__ import annotations

from typing import Any

import pytest

from cosec.frameworks.csf import load_csf, parse_catalog


def test_active_counts_match_nist() -> None:
    csf = load_csf()
    assert len(csf.functions) == 6
    assert len(csf.categories) == 22
    assert len(csf.subcategories) == 106
    per_function = {f.id: sum(len(c.subcategories) for c in f.categories) for f in csf.functions}
    assert per_function == {"GV": 31, "ID": 21, "PR": 22, "DE": 11, "RS": 13, "RC": 8}


def test_withdrawn_items_are_not_offered() -> None:
    csf = load_csf()
    assert "PR.AA-01" in csf.subcategories
    assert csf.subcategory("PR.AA-01").category == "PR.AA"
    # ID.AM-06 is withdrawn under an active category; PR.AC is a withdrawn category
    for withdrawn in ("ID.AM-06", "PR.DS-03", "PR.AC-01"):
        with pytest.raises(KeyError, match="not an active"):
            csf.subcategory(withdrawn)


def _doc(sub_props: list[dict[str, Any]]) -> dict[str, Any]:
    sub = {"id": "XX.YY-01", "class": "subcategory", "props": sub_props, "parts": []}
    cat = {"id": "XX.YY", "class": "category", "title": "T", "controls": [sub]}
    return {
        "catalog": {
            "metadata": {"version": "9"},
            "groups": [{"id": "XX", "class": "function", "title": "X", "controls": [cat]}],
        }
    }


def test_status_prop_decides_not_the_id() -> None:
    assert len(parse_catalog(_doc([])).subcategories) == 1
    gone = parse_catalog(_doc([{"name": "status", "value": "withdrawn"}]))
    assert gone.subcategories == {}
