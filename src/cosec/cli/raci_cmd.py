"""`cosec raci show|validate|export`: the responsibility map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cosec.cli.common import console, runtime, safe_text
from cosec.governance.raci import build_map
from cosec.governance.raci_render import COLUMNS, FORMATS, render, rows

app = typer.Typer(
    help="Responsibility map: who configures, monitors, responds, keeps evidence.",
    no_args_is_help=True,
)


@app.command("show")
def show(ctx: typer.Context) -> None:
    """Print the resolved map (preset plus overrides) and Microsoft's platform duties."""
    rmap = build_map(runtime(ctx).workspace)
    table = Table(title=f"Responsibility map (preset {rmap.preset})")
    for col in COLUMNS:
        table.add_column(col)
    for row in rows(rmap):
        table.add_row(*(safe_text(c) for c in row), style="red" if row[-1] else None)
    console.print(table)
    console.print("[bold]Microsoft (platform duties, shared responsibility model)[/]")
    for duty in rmap.platform:
        console.print(f"  {duty.area.value}: {safe_text(duty.duty)}")


@app.command("validate")
def validate(ctx: typer.Context) -> None:
    """Check every cell; exit 1 if any is unowned, ambiguous, unstaffed or incomplete."""
    rmap = build_map(runtime(ctx).workspace)
    if not rmap.problems:
        console.print(f"responsibility map is valid: {len(rmap.cells)} cells owned")
        return
    for p in rmap.problems:
        console.print(f"[red]{safe_text(p.key)}[/] {p.kind}: {safe_text(p.message)}")
    console.print(f"[bold red]{len(rmap.problems)} problem(s) in the responsibility map[/]")
    raise typer.Exit(1)


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, csv or html")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write")] = None,
) -> None:
    """Write the map as Markdown, CSV or HTML (to stdout without --output)."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    text = render(build_map(runtime(ctx).workspace), fmt)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"Wrote {output}")
