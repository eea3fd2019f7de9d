from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.reports.sample import sample_review

from cosec.errors import CosecError
from cosec.reports.charts import history_chart
from cosec.reports.render import RenderError, render_html, render_pdf, write_review


def test_html_is_self_contained_and_carries_figures_and_owners() -> None:
    html = render_html(sample_review("monthly"))
    assert "Monthly security operations review" in html
    assert "October 2026" in html
    assert "Partner MSP" in html and "Contoso Ltd" in html
    assert "engineer (partner)" in html
    assert "<svg" in html
    assert not re.search(r"""(src|href)=["']https?:|url\(["']?https?:""", html)
    assert "no data" in html  # e.g. impersonation facts were not supplied
    assert html.index("Enable Safe Links for Teams") < html.index("Block legacy auth")


def test_chart_ids_are_unique_per_chart() -> None:
    a = history_chart([("2026-09", 1.0), ("2026-10", 2.0)], title="a", unit="%", uid="one")
    b = history_chart([("2026-09", 1.0), ("2026-10", None)], title="b", unit="%", uid="two")
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and ids_b and not ids_a & ids_b
    assert all(i.startswith("one-") for i in ids_a)


def test_pdf_rendering_refuses_network_fetches() -> None:
    with pytest.raises(RenderError, match="self-contained"):
        render_pdf('<html><body><img src="https://example.com/x.png"></body></html>')


def test_unknown_format_is_rejected_before_writing(tmp_path: Path) -> None:
    with pytest.raises(CosecError, match="docx"):
        write_review(sample_review(), tmp_path / "out", ["docx"])
    assert not (tmp_path / "out").exists()


def test_charting_and_pdf_libraries_load_only_when_a_report_is_drawn() -> None:
    code = (
        "import sys, cosec.cli; "
        "print(sorted(m for m in ('matplotlib', 'weasyprint') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
