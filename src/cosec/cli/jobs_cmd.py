"""`cosec jobs list|run`: the in-process scheduler (one machine)."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.cli.common import console, runtime, safe_text

if TYPE_CHECKING:
    from cosec.jobs.scheduler import JobRun

app = typer.Typer(help="Scheduled jobs: exception expiry and reminders, …", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """List the scheduled jobs and how often each runs."""
    from cosec.jobs.registry import default_jobs

    table = Table(title="Scheduled jobs")
    table.add_column("job")
    table.add_column("every")
    for job in default_jobs():
        table.add_row(job.name, str(job.interval))
    console.print(table)


def _show(runs: list[JobRun]) -> None:
    for r in runs:
        mark = "[green]ok[/]" if r.ok else "[red]failed[/]"
        console.print(f"{r.at:%Y-%m-%d %H:%M} {r.job} {mark}: {safe_text(r.summary)}")


@app.command("run")
def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Run every job once, then exit")] = False,
    tick: Annotated[float, typer.Option(min=1.0, help="Seconds between checks")] = 30.0,
) -> None:
    """Run due jobs until interrupted (Ctrl-C or SIGTERM); exit 1 if a --once run failed."""
    from cosec.jobs.registry import default_jobs
    from cosec.jobs.scheduler import Scheduler

    rt = runtime(ctx)
    scheduler = Scheduler(default_jobs(), rt.clock)
    if once:
        runs = scheduler.run_due(rt.store, rt.workspace)
        _show(runs)
        if not all(r.ok for r in runs):
            raise typer.Exit(1)
        return
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    console.print(f"running {len(default_jobs())} job(s); Ctrl-C to stop")
    scheduler.run_forever(rt.store, rt.workspace, stop, tick=tick)
    console.print("stopped")
