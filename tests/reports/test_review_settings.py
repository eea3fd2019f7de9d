"""The reports section of cosec.yaml (logo, commentary) and the draft banner."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.reports.sample import sample_review

from cosec.cli.workspace_cmd import init_workspace
from cosec.config import parse_workspace
from cosec.errors import ConfigError
from cosec.reports.freshness import Freshness
from cosec.reports.render import render_html
from cosec.reports.service import logo_uri


def _workspace_text(tmp_path: Path, reports: str) -> Path:
    init_workspace(tmp_path, organisation="O", partner="P", tenant="main", env_key=None)
    config = tmp_path / "cosec.yaml"
    config.write_text(config.read_text(encoding="utf-8") + reports, encoding="utf-8")
    return config


def test_logo_relative_to_the_workspace_is_embedded(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    config = _workspace_text(tmp_path, "reports:\n  logo: logo.svg\n  commentary: Quiet month.\n")
    ws = parse_workspace(config.read_text(encoding="utf-8"), source=str(config))
    assert ws.reports.logo == tmp_path / "logo.svg"
    review = sample_review()
    review.logo = logo_uri(ws.reports.logo)
    review.commentary = ws.reports.commentary
    page = render_html(review)
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Quiet month." in page


@pytest.mark.parametrize(
    ("logo", "message"), [("missing.png", "does not exist"), ("logo.gif", "must be one of")]
)
def test_bad_logo_names_file_line_and_field(tmp_path: Path, logo: str, message: str) -> None:
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    config = _workspace_text(tmp_path, f"reports:\n  logo: {logo}\n")
    with pytest.raises(ConfigError, match=message) as info:
        parse_workspace(config.read_text(encoding="utf-8"), source=str(config))
    assert info.value.field == "reports.logo"


def test_missing_data_makes_the_review_a_draft() -> None:
    review = sample_review()
    assert "DRAFT" not in render_html(review)
    review.freshness = Freshness(
        assessed_at=datetime(2026, 10, 20, tzinfo=UTC),
        snapshot_at=None,
        data_until=datetime(2026, 10, 21, tzinfo=UTC),
        partial=True,
        months_without_data=("2026-10",),
    )
    page = render_html(review)
    assert "DRAFT" in page
    assert "No data was collected in 2026-10" in page
    assert "still in progress" in page
