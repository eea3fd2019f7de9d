"""SVG charts for the reviews (matplotlib, no pyplot state, text kept as text).

Charts are inlined in the HTML, so reports stay self-contained and WeasyPrint draws them
as vectors. Colours follow the RAG palette of the report stylesheet.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ParamSpec

from cosec.reports.content import CsfFunctionSummary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

GREEN, AMBER, RED, GREY, INK, ACCENT = (
    "#2e7d32",
    "#f9a825",
    "#c62828",
    "#9e9e9e",
    "#263238",
    "#1565c0",
)
P = ParamSpec("P")


def _styled(draw: Callable[P, str]) -> Callable[P, str]:
    """Draw under the report style without touching matplotlib's global settings.

    matplotlib is imported on first use, so commands that draw no chart do not pay for it.
    """

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> str:
        import matplotlib

        with matplotlib.rc_context(
            {
                "svg.fonttype": "none",  # text stays text: searchable in the PDF
                "svg.hashsalt": "cosec",  # stable ids
                "font.family": "DejaVu Sans",
                "font.size": 9,
                "axes.edgecolor": GREY,
                "axes.labelcolor": INK,
                "xtick.color": INK,
                "ytick.color": INK,
            }
        ):
            return draw(*args, **kwargs)

    return styled


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _svg(fig: Figure, uid: str) -> str:
    """The figure as an inline <svg>, its ids prefixed with `uid`.

    Several charts share one HTML page, and matplotlib numbers ids per figure
    (text_1, line2d_1, marker defs): unprefixed, one chart's references could resolve
    to another's definitions.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = re.sub(r"^<\?xml[^>]*>\s*<!DOCTYPE[^>]*>\s*", "", buf.getvalue(), flags=re.S)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{uid}-\1"', text)
    return re.sub(r"(href=\"#|url\(#)", rf"\1{uid}-", text)


def _plain(ax: object) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]


@_styled
def history_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str,
    target: float | None = None,
    uid: str = "history",
) -> str:
    """A small line chart of one metric over periods; gaps where there was no data."""
    fig = _figure(3.4, 1.7)
    ax = fig.add_subplot()
    labels = [p for p, _ in points]
    values = [v if v is not None else float("nan") for _, v in points]
    ax.plot(labels, values, marker="o", color=ACCENT, linewidth=2)
    for label, v in zip(labels, values, strict=True):
        if v == v:  # not NaN
            ax.annotate(
                f"{v:.0f}" if unit in ("%", "count") else f"{v:.1f}",
                (label, v),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=8,
            )
    if target is not None:
        ax.axhline(target, color=GREEN, linestyle="--", linewidth=1, label=f"target {target:g}")
        ax.legend(loc="lower left", fontsize=7, frameon=False)
    if unit == "%":
        ax.set_ylim(0, 105)
    else:  # counts and durations start at zero so small changes do not look dramatic
        known = [v for v in values if v == v] + ([target] if target is not None else [])
        ax.set_ylim(0, max([*known, 1.0]) * 1.25)
    ax.set_title(title, fontsize=9, loc="left", color=INK)
    _plain(ax)
    return _svg(fig, uid)


@_styled
def csf_chart(summary: Sequence[CsfFunctionSummary]) -> str:
    """Stacked horizontal bars of control results per CSF 2.0 function."""
    fig = _figure(6.4, 2.4)
    ax = fig.add_subplot()
    names = [s.name for s in summary][::-1]
    rows = list(summary)[::-1]
    left = [0.0] * len(rows)
    for attr, colour, label in (
        ("passed", GREEN, "pass"),
        ("accepted", AMBER, "accepted risk"),
        ("failed", RED, "fail"),
        ("not_assessed", GREY, "not assessed"),
    ):
        widths = [float(getattr(r, attr)) for r in rows]
        ax.barh(names, widths, left=left, color=colour, label=label, height=0.6)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("controls")
    ax.legend(ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.3), frameon=False, fontsize=8)
    _plain(ax)
    return _svg(fig, "csf")


@_styled
def aging_chart(grid: Mapping[str, Mapping[str, int]], buckets: Sequence[str]) -> str:
    """Open vulnerabilities by severity, stacked by age bucket."""
    fig = _figure(6.4, 2.0)
    ax = fig.add_subplot()
    severities = [s for s in ("critical", "high", "medium", "low") if s in grid]
    left = [0.0] * len(severities)
    shades = ["#bbdefb", "#64b5f6", "#1e88e5", "#0d47a1"]
    for bucket, shade in zip(buckets, shades, strict=False):
        widths = [float(grid[s].get(bucket, 0)) for s in severities]
        ax.barh(severities, widths, left=left, color=shade, label=bucket, height=0.6)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("open vulnerabilities")
    ax.legend(
        title="age",
        ncols=len(buckets),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35),
        frameon=False,
        fontsize=8,
    )
    _plain(ax)
    return _svg(fig, "aging")
