"""The baseline coverage table is in step with the catalog."""

from __future__ import annotations

from cosec.controls.baselines import BASELINES
from cosec.controls.catalog import load_catalog
from cosec.controls.docs import implementers

PREFIXES = ("MS.AAD.", "MS.EXO.", "MS.DEFENDER.")


def test_every_listed_policy_is_implemented_or_says_why_not() -> None:
    catalog = load_catalog()
    silent = [
        p.id
        for policies in BASELINES.values()
        for p in policies
        if not implementers(catalog, p.id) and not p.reason
    ]
    assert silent == []


def test_every_cited_scuba_policy_of_these_baselines_is_listed() -> None:
    listed = {p.id for policies in BASELINES.values() for p in policies}
    cited = {s for c in load_catalog() for s in c.scuba if s.startswith(PREFIXES)}
    assert cited - listed == set()


def test_policy_ids_are_unique() -> None:
    ids = [p.id for policies in BASELINES.values() for p in policies]
    assert len(ids) == len(set(ids))
