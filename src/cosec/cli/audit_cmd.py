"""`cosec audit verify|export|list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.cli.common import LazyModule, console, runtime, safe_text
from cosec.governance.audit import verify_chain

if TYPE_CHECKING:
    from cosec.store import audit
else:
    audit = LazyModule("cosec.store.audit")

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check the hash chain; exit 1 if any entry was edited, deleted or reordered."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        entries = list(audit.entries(s))
    problems = verify_chain(entries)
    if problems:
        for p in problems:
            console.print(f"[red]entry {p.seq}: {safe_text(p.problem)}[/]")
        console.print(f"[bold red]audit log FAILED verification[/] ({len(problems)} problems)")
        raise typer.Exit(1)
    head = entries[-1].hash[:16] if entries else "empty"
    console.print(f"audit log verified: {len(entries)} entries, head {head}")


@app.command("list")
def list_(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Show the most recent entries."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        entries = list(audit.entries(s, tenant=tenant))[-limit:]
    table = Table(title="Audit log")
    for col in ("#", "time (UTC)", "actor", "party", "tenant", "action", "subject"):
        table.add_column(col)
    for e in entries:
        table.add_row(
            str(e.seq),
            e.at.strftime("%Y-%m-%d %H:%M"),
            safe_text(e.actor),
            e.party,
            safe_text(e.tenant or ""),
            e.action,
            safe_text(e.subject),
        )
    console.print(table)


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines file")],
    tenant: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Write the log as JSON Lines, one entry per line with its hashes."""
    rt = runtime(ctx)
    count = 0
    with rt.store.session() as s, output.open("w", encoding="utf-8") as fh:
        for e in audit.entries(s, tenant=tenant):
            fh.write(
                json.dumps(
                    {
                        "seq": e.seq,
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "party": e.party,
                        "tenant": e.tenant,
                        "action": e.action,
                        "subject": e.subject,
                        "before": e.before,
                        "after": e.after,
                        "note": e.note,
                        "prev_hash": e.prev_hash,
                        "hash": e.hash,
                    },
                    default=str,
                )
                + "\n"
            )
            count += 1
    console.print(f"Wrote {count} entries to {output}")
