"""Contract of the catalog: ids, frameworks, tests and docs for every control."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.controls.builder import context, secure_tenant

from cosec.controls.base import Status
from cosec.controls.catalog import (
    AREA_PACKAGES,
    CatalogError,
    control_by_id,
    load_catalog,
    renamed,
    validate,
)
from cosec.controls.docs import render
from cosec.controls.engine import assess
from cosec.frameworks.csf import load_csf
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

ROOT = Path(__file__).resolve().parents[2]


def test_at_least_sixty_controls_with_unique_ids_and_valid_csf() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 60
    ids = [c.id for c in catalog]
    assert len(ids) == len(set(ids))
    csf = load_csf().subcategories
    assert all(s in csf for c in catalog for s in c.csf)
    covered = {c.area for c in catalog}
    assert covered >= set(AREA_PACKAGES) - {ControlArea.AWARENESS}


def test_every_control_has_a_test_module_with_pass_and_fail_cases() -> None:
    missing = []
    for c in load_catalog():
        module = c.check.__module__.split(".")
        path = ROOT / "tests" / "controls" / module[-2] / f"test_{module[-1]}.py"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if "Status.PASS" not in text or ("Status.FAIL" not in text and ", False)" not in text):
            missing.append(c.id)
    assert missing == []


def test_docs_are_generated_from_the_catalog() -> None:
    """Regenerate with `python -m cosec.controls.docs` when this fails."""
    text = (ROOT / "docs" / "controls.md").read_text(encoding="utf-8")
    assert text == render(load_catalog())
    assert all(f"### {c.id}" in text for c in load_catalog())


def test_validation_rejects_bad_entries() -> None:
    good = load_catalog()[0]
    with pytest.raises(CatalogError, match="also used"):
        validate([good, good])
    with pytest.raises(CatalogError, match="unknown CSF"):
        validate([replace(good, csf=("PR.AC-01",))])
    with pytest.raises(CatalogError, match="IDN-001v1"):
        validate([replace(good, id="IDN-1")])
    with pytest.raises(CatalogError, match="unknown resource"):
        validate([replace(good, requires=("nope",))])


def test_renamed_ids_resolve() -> None:
    assert renamed() == {}  # no control renamed yet; the map follows `replaces`
    assert control_by_id("IDN-001v1").title.startswith("MFA")
    with pytest.raises(KeyError):
        control_by_id("XXX-999v1")


def test_secure_tenant_passes_the_whole_catalog() -> None:
    findings = assess(TenantView(secure_tenant().snapshot()), context(), load_catalog())
    statuses = {f.control_id: f.status for f in findings}
    not_pass = {cid: s for cid, s in statuses.items() if s is not Status.PASS}
    assert not_pass == {"VUL-004v1": Status.NOT_ASSESSED}  # one Secure Score measurement
    assert all(f.owners is not None for f in findings)
