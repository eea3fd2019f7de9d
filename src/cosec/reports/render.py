"""Render reviews to self-contained HTML (inline CSS and SVG) and to PDF (WeasyPrint).

The PDF renderer refuses every URL fetch: a report carries everything it shows, so an
offline machine renders it identically and nothing leaks to the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cosec.errors import CosecError
from cosec.metrics.compute import AGE_BUCKETS, OVER_LAST_BUCKET
from cosec.metrics.definitions import definition
from cosec.metrics.facts import Missing
from cosec.metrics.trends import Direction, Trend
from cosec.reports.activity import hours
from cosec.reports.charts import aging_chart, csf_chart, history_chart
from cosec.reports.content import HEADLINE, Review, target_text
from cosec.reports.names import Directory

TITLES = {
    "monthly": "Monthly security operations review",
    "quarterly": "Quarterly executive security review",
}
FORMATS = ("html", "pdf")
MAX_CHARTS = 6


class RenderError(CosecError):
    hint = "Check that WeasyPrint and the DejaVu fonts are installed (`make deps`)."


def _trend_word(t: Trend | None) -> str:
    if t is None or t.direction is Direction.UNKNOWN:
        return "no trend yet"
    if t.direction is Direction.STEADY:
        return "steady"
    arrow = "▲" if (t.change or 0) > 0 else "▼"
    return f"{arrow} {abs(t.change or 0):g} · {t.direction.value}"


def _environment(names: Directory) -> Environment:
    """Every text a template prints passes `names.humanise`: no GUID reaches a reader."""

    def finalize(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, Markup):
            return names.humanise(value)
        return value

    env = Environment(
        loader=PackageLoader("cosec.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.tests["missing"] = lambda value: isinstance(value, Missing)
    env.globals["definition"] = definition
    env.globals["trend_word"] = _trend_word
    env.globals["target_text"] = target_text
    env.globals["hours"] = hours
    return env


def _charts(review: Review) -> list[Markup]:
    charts = []
    for key in HEADLINE:
        t, m = review.trends.get(key), review.metric(key)
        if t is None or m is None or all(v is None for _, v in t.points):
            continue
        svg = history_chart(
            t.points, title=m.title, unit=m.unit, target=m.target, uid=f"chart-{key}"
        )
        charts.append(Markup(svg))
        if len(charts) == MAX_CHARTS:
            break
    return charts


def _aging(review: Review) -> Markup | None:
    m = review.metric("vulns_past_sla")
    grid = (m.breakdown.get("open_by_severity_and_age") if m else None) or {}
    if not grid:
        return None
    buckets = [name for name, _ in AGE_BUCKETS] + [OVER_LAST_BUCKET]
    return Markup(aging_chart(grid, buckets))


def render_html(review: Review) -> str:
    context: dict[str, Any] = {
        "r": review,
        "title": TITLES[review.kind],
        "headline_keys": HEADLINE,
        "charts": _charts(review),
        "aging": _aging(review) if review.kind == "monthly" else None,
        "csf_svg": Markup(csf_chart(review.csf))
        if review.kind == "quarterly" and any(f.rag.value != "no_data" for f in review.csf)
        else None,
    }
    return _environment(review.names).get_template(f"{review.kind}.html.j2").render(context)


def render_pdf(html: str) -> bytes:
    """PDF bytes of `html`; any attempt to fetch a URL aborts with `RenderError`."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError, URLFetcher
    except (ImportError, OSError) as exc:
        raise RenderError(f"WeasyPrint cannot be loaded: {exc}") from None
    offline = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    try:
        pdf = HTML(string=html, url_fetcher=offline).write_pdf()
    except FatalURLFetchingError as exc:
        raise RenderError(f"the report must be self-contained but tried: {exc}") from None
    assert isinstance(pdf, bytes)
    return pdf


def review_filename(review: Review, fmt: str) -> str:
    return f"{review.tenant}-{review.kind}-review-{review.period.label}.{fmt}"


def write_review(review: Review, output_dir: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write the review in each format into `output_dir`; return the paths written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise CosecError(f"unknown report format {unknown[0]!r} (use html or pdf)")
    output_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(review)
    written = []
    for fmt in formats:
        path = output_dir / review_filename(review, fmt)
        if fmt == "html":
            path.write_text(html, encoding="utf-8")
        else:
            path.write_bytes(render_pdf(html))
        written.append(path)
    return written
