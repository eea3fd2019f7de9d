"""`cosec collect`: read tenants into snapshots and event streams, with live progress."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from cosec.cli.common import console, print_json, runtime, safe_text
from cosec.clock import parse_instant
from cosec.errors import ConfigError
from cosec.model.snapshot import Outcome

if TYPE_CHECKING:
    from cosec.collect import TenantResult


class RichProgress:
    """One bar per tenant; the description shows the last resource finished."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.tasks: dict[str, TaskID] = {}

    def tenant_started(self, tenant: str, steps: int) -> None:
        self.tasks[tenant] = self.bar.add_task(tenant, total=steps)

    def step_done(self, tenant: str, key: str, status: str) -> None:
        mark = "" if status == Outcome.OK.value else f" [yellow]{status}[/]"
        self.bar.update(
            self.tasks[tenant], advance=1, description=f"{safe_text(tenant)}: {key}{mark}"
        )

    def tenant_finished(self, tenant: str, ok: bool) -> None:
        task = self.tasks.get(tenant)
        if task is not None:
            state = "[green]done[/]" if ok else "[red]failed[/]"
            self.bar.update(task, description=f"{safe_text(tenant)}: {state}")


def _summary(results: list[TenantResult]) -> Table:
    table = Table(title="Collection")
    for col in ("tenant", "ok", "not assessed", "errors", "events", "requests", "429s", "time"):
        table.add_column(col, justify="right" if col not in ("tenant",) else "left")
    for r in results:
        counts = {s: sum(o.status is s for o in r.outcomes.values()) for s in Outcome}
        events = sum(s.fetched for s in r.streams.values())
        table.add_row(
            safe_text(r.tenant) if r.ok else f"[red]{safe_text(r.tenant)} (failed)[/]",
            str(counts[Outcome.OK]),
            str(counts[Outcome.NOT_ASSESSED]),
            str(counts[Outcome.ERROR]),
            str(events),
            str(r.stats.requests),
            str(r.stats.throttled),
            f"{r.seconds:.1f}s",
        )
    return table


def _details(results: list[TenantResult]) -> None:
    for r in results:
        if r.error:
            console.print(f"[red]{safe_text(r.tenant)}[/]: {safe_text(r.error)}")
        for key, o in sorted(r.outcomes.items()):
            if o.status is not Outcome.OK:
                console.print(
                    f"  {safe_text(r.tenant)} {key}: [yellow]{o.status.value}[/] — "
                    f"{safe_text(o.reason)}"
                )
        for key, s in sorted(r.streams.items()):
            o = s.outcome
            if o.status is Outcome.OK:
                console.print(f"  {safe_text(r.tenant)} {key}: {s.fetched} events")
            else:
                console.print(
                    f"  {safe_text(r.tenant)} {key}: [yellow]{o.status.value}[/] — "
                    f"{safe_text(o.reason)}"
                )


def _as_json(results: list[TenantResult]) -> list[dict[str, object]]:
    return [
        {
            "tenant": r.tenant,
            "ok": r.ok,
            "error": r.error,
            "snapshot_id": r.snapshot_id,
            "partial": r.partial,
            "resources": {
                k: {"status": o.status.value, "reason": o.reason, "items": o.item_count}
                for k, o in r.outcomes.items()
            },
            "streams": {
                k: {
                    "status": s.outcome.status.value,
                    "reason": s.outcome.reason,
                    "events": s.fetched,
                }
                for k, s in r.streams.items()
            },
            "requests": r.stats.requests,
            "throttled": r.stats.throttled,
            "seconds": round(r.seconds, 3),
        }
        for r in results
    ]


def collect(
    ctx: typer.Context,
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", "-t", help="Tenant to collect (repeatable)")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Start of the first event window (default: 30 days back)")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Simulator only: collect the tenant as of this day")
    ] = None,
    resources: Annotated[
        str | None, typer.Option(help="Comma-separated resource/stream keys (default: all)")
    ] = None,
    throttle_scale: Annotated[
        float, typer.Option(help="Simulator only: its throttle window scale")
    ] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
) -> None:
    """Read tenants into a snapshot and their event streams; exit 1 if a tenant failed."""
    from cosec.collect import CollectOptions, collect_all  # the Graph client and the store
    from cosec.collect.runner import validate_keys

    rt = runtime(ctx)
    keys = (
        validate_keys([k.strip() for k in resources.split(",") if k.strip()]) if resources else None
    )
    day: date | None = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise ConfigError(f"--as-of must be a date (YYYY-MM-DD), got {as_of!r}") from None
    options = CollectOptions(
        keys=keys,
        since=parse_instant(since) if since else None,
        as_of=day,
        window_scale=throttle_scale,
    )
    if as_json:
        results = collect_all(rt, tenant, options)
        print_json(_as_json(results))
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            results = collect_all(rt, tenant, options, progress=RichProgress(bar))
        console.print(_summary(results))
        _details(results)
    if any(not r.ok for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("collect")(collect)
