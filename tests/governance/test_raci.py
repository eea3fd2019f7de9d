from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from cosec.cli.workspace_cmd import workspace_template
from cosec.config import Workspace, parse_workspace
from cosec.errors import ConfigError
from cosec.governance.raci import PRESETS, area_owners, build_map, load_preset, unowned_cells
from cosec.governance.raci_render import render
from cosec.model.governance import ControlArea, Duty

TEMPLATE = workspace_template("Contoso", "MSP", "main")


def _ws(overrides: str = "{}", preset: str = "co-managed") -> Workspace:
    text = TEMPLATE.replace(
        "responsibility_map:\n  preset: co-managed\n  overrides: {}\n",
        f"responsibility_map:\n  preset: {preset}\n  overrides: {overrides}\n",
    )
    assert text != TEMPLATE or (overrides == "{}" and preset == "co-managed")
    return parse_workspace(text)


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_cover_every_cell_and_are_valid_with_template_people(preset: str) -> None:
    loaded = load_preset(preset)
    assert set(loaded.cells) == {(a, d) for a in ControlArea for d in Duty}
    rmap = build_map(_ws(preset=preset))
    assert rmap.problems == ()
    assert rmap.platform, "Microsoft's platform duties are pre-filled"


def test_area_owners_names_party_and_role_per_duty() -> None:
    owners = area_owners(_ws())
    identity = owners[ControlArea.IDENTITY]
    assert identity.for_duty(Duty.MONITOR) is not None
    assert identity.monitor is not None and identity.monitor.party == "partner"
    assert owners[ControlArea.GOVERNANCE].respond is not None
    assert owners[ControlArea.GOVERNANCE].respond.role == "risk_owner"
    assert identity.evidence_freshness == timedelta(days=7)
    # no person is named in the preset: the only holder of the role acts, if one
    assert identity.monitor.person is None  # jordan and casey are both analysts
    assert identity.configure is not None and identity.configure.person == "jordan"


def test_override_merges_onto_preset_cell_and_names_a_person() -> None:
    ws = _ws("{endpoint: {configure: {party: internal, role: it_lead, person: alex}}}")
    endpoint = area_owners(ws)[ControlArea.ENDPOINT]
    assert endpoint.configure is not None
    assert (endpoint.configure.party, endpoint.configure.person) == ("internal", "alex")
    freshness_only = _ws("{awareness: {evidence: {evidence_freshness: 30d}}}")
    cell = build_map(freshness_only).cell(ControlArea.AWARENESS, Duty.EVIDENCE)
    assert cell is not None
    assert cell.evidence_freshness == timedelta(days=30)
    assert cell.role == "analyst" and cell.overridden


@pytest.mark.parametrize(
    ("overrides", "key", "kind"),
    [
        ("{email: {respond: null}}", "email/respond", "unowned"),
        ("{email: {respond: {party: [internal, partner]}}}", "email/respond", "ambiguous"),
        ("{email: {respond: {role: auditor}}}", "email/respond", "unstaffed"),
        ("{email: {respond: {party: microsoft, role: platform}}}", "email/respond", "misassigned"),
        ("{email: {respond: {role: wizard}}}", "email/respond", "invalid"),
        ("{email: {respond: {person: casey, role: engineer}}}", None, None),
    ],
)
def test_problem_cells_become_unowned_cells(
    overrides: str, key: str | None, kind: str | None
) -> None:
    if key is None:
        with pytest.raises(ConfigError, match="does not hold the role engineer"):
            _ws(overrides)
        return
    ws = _ws(overrides)
    rmap = build_map(ws)
    assert [(p.key, p.kind) for p in rmap.problems] == [(key, kind)]
    assert unowned_cells(ws) == (key,)
    assert area_owners(ws)[ControlArea.EMAIL].respond is None


def test_evidence_without_freshness_is_reported_but_keeps_its_owner() -> None:
    ws = _ws("{governance: {evidence: {evidence_freshness: null}}}")
    rmap = build_map(ws)
    assert [(p.key, p.kind) for p in rmap.problems] == [("governance/evidence", "incomplete")]
    assert unowned_cells(ws) == ()
    assert area_owners(ws)[ControlArea.GOVERNANCE].evidence is not None


def test_person_of_wrong_party() -> None:
    with pytest.raises(ConfigError) as info:
        _ws("{identity: {monitor: {party: partner, person: alex, role: it_lead}}}")
    assert "alex is internal, not partner" in str(info.value)
    # without the party in the override, the preset's party (partner) is checked later
    rmap = build_map(_ws("{identity: {monitor: {person: alex, role: it_lead}}}"))
    assert [(p.key, p.kind) for p in rmap.problems] == [("identity/monitor", "invalid")]


def test_unknown_preset_is_a_config_error_with_line() -> None:
    with pytest.raises(ConfigError) as info:
        _ws(preset="do-it-yourself")
    assert info.value.field == "responsibility_map.preset"
    assert info.value.line is not None


def test_render_formats() -> None:
    rmap = build_map(_ws("{email: {respond: null}}"))
    parsed = list(csv.reader(io.StringIO(render(rmap, "csv"))))
    assert parsed[0][:4] == ["area", "duty", "party", "role"]
    email_respond = next(r for r in parsed if r[:2] == ["email", "respond"])
    assert email_respond[-1].startswith("unowned")
    md = render(rmap, "md")
    assert "| identity | configure | partner | engineer |" in md
    assert "Microsoft" in md
    html = render(rmap, "html")
    assert html.count("<tr") == 1 + len(ControlArea) * len(Duty)
    assert 'class="problem"' in html
    with pytest.raises(ValueError, match="unknown format"):
        render(rmap, "pdf")
