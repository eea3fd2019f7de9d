"""`cosec metrics`: compute, store and show one period's metrics."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cosec.cli.common import console, print_json, runtime, safe_text
from cosec.cli.report_cmd import pick_period, pick_tenant
from cosec.errors import ConfigError
from cosec.metrics.periods import PeriodKind, containing
from cosec.metrics.rag import Rag

STYLE = {Rag.GREEN: "green", Rag.AMBER: "yellow", Rag.RED: "red"}


def register(app: typer.Typer) -> None:
    @app.command("metrics")
    def metrics(
        ctx: typer.Context,
        tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant name")] = None,
        period: Annotated[
            str | None,
            typer.Option("--period", "-p", help="2026-10, 2026-Q3, 2026-W41 or 2026-10-05"),
        ] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    ) -> None:
        """Compute and store the metrics of a period (default: the current month)."""
        from cosec.reports.gather import compute_period

        rt = runtime(ctx)
        if fmt not in ("table", "json"):
            raise ConfigError(f"--format must be table or json, got {fmt!r}")
        if tenant or len(rt.workspace.tenants) == 1:
            names = [pick_tenant(rt, tenant)]
        else:
            names = [t.name for t in rt.workspace.tenants]
        chosen = (
            pick_period(rt, period, PeriodKind.MONTH)
            if period
            else containing(PeriodKind.MONTH, rt.now())
        )
        out = {}
        for name in names:
            with rt.store.session() as session:
                out[name] = compute_period(session, rt.workspace, name, chosen, now=rt.now())
        if fmt == "json":
            print_json(
                {
                    n: {"period": chosen.label, "metrics": [v.to_json() for v in vs]}
                    for n, vs in out.items()
                }
            )
            return
        for name, values in out.items():
            table = Table(title=f"{safe_text(name)} · {chosen.title}", title_justify="left")
            for col in ("metric", "value", "target", "status", "owner", "detail"):
                table.add_column(col, justify="right" if col in ("value", "target") else "left")
            for v in values:
                detail = v.reason or (
                    f"{v.numerator:g} of {v.denominator:g}"
                    if v.unit == "%" and v.numerator is not None and v.denominator
                    else ""
                )
                status = v.rag.value.replace("_", " ")
                table.add_row(
                    safe_text(v.title),
                    v.display(),
                    "—" if v.target is None else f"{v.target:g}",
                    f"[{STYLE[v.rag]}]{status}[/]" if v.rag in STYLE else status,
                    safe_text(v.owner),
                    safe_text(detail),
                )
            console.print(table)
