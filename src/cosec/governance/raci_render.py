"""Rendering the responsibility map as Markdown, CSV or HTML tables."""

from __future__ import annotations

import io
from datetime import timedelta
from html import escape

from cosec import csvsafe
from cosec.governance.raci import Cell, ResponsibilityMap
from cosec.model.governance import ControlArea, Duty

FORMATS = ("md", "csv", "html")
COLUMNS = (
    "area",
    "duty",
    "party",
    "role",
    "person",
    "escalation",
    "evidence source",
    "freshness",
    "problem",
)


def _days(value: timedelta | None) -> str:
    if value is None:
        return ""
    days = value.total_seconds() / 86400
    return f"{days:g}d" if days >= 1 else f"{value.total_seconds() / 3600:g}h"


def rows(rmap: ResponsibilityMap) -> list[list[str]]:
    """One row per area × duty, problems included, in the map's canonical order."""
    problems: dict[tuple[ControlArea, Duty], list[str]] = {}
    for p in rmap.problems:
        problems.setdefault((p.area, p.duty), []).append(f"{p.kind}: {p.message}")
    out: list[list[str]] = []
    for area in ControlArea:
        for duty in Duty:
            cell: Cell | None = rmap.cell(area, duty)
            problem = "; ".join(problems.get((area, duty), []))
            if cell is None:
                out.append([area.value, duty.value, "", "", "", "", "", "", problem])
                continue
            out.append(
                [
                    area.value,
                    duty.value,
                    "+".join(cell.parties),
                    cell.role,
                    cell.acting_person or "",
                    cell.escalation or "",
                    cell.evidence_source or "",
                    _days(cell.evidence_freshness),
                    problem,
                ]
            )
    return out


def render(rmap: ResponsibilityMap, fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csvsafe.Writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(rmap))
        writer.writerow([])
        writer.writerow(["microsoft platform duties"])
        writer.writerows([[d.area.value, d.duty] for d in rmap.platform])
        return buf.getvalue()
    if fmt == "md":

        def line(cells: list[str] | tuple[str, ...]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        out = [f"# Responsibility map (preset {rmap.preset})", "", line(COLUMNS)]
        out.append(line(["---"] * len(COLUMNS)))
        out.extend(line(r) for r in rows(rmap))
        out += ["", "## Microsoft (platform duties, shared responsibility model)", ""]
        out.extend(f"- **{d.area.value}**: {d.duty}" for d in rmap.platform)
        return "\n".join(out) + "\n"
    if fmt == "html":
        head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
        body = "".join(
            "<tr"
            + (' class="problem"' if r[-1] else "")
            + ">"
            + "".join(f"<td>{escape(c)}</td>" for c in r)
            + "</tr>"
            for r in rows(rmap)
        )
        platform = "".join(
            f"<li><strong>{escape(d.area.value)}</strong>: {escape(d.duty)}</li>"
            for d in rmap.platform
        )
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Responsibility map</title></head><body>"
            f"<h1>Responsibility map (preset {escape(rmap.preset)})</h1>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<h2>Microsoft (platform duties)</h2><ul>{platform}</ul></body></html>\n"
        )
    raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
