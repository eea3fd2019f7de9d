"""`cosec changes open|approve|close|list` and `cosec drift`."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.cli.common import LazyModule, console, print_json, runtime, safe_text
from cosec.cli.exceptions_cmd import pick_tenant
from cosec.clock import parse_instant
from cosec.errors import NotFoundError
from cosec.governance.changes import ChangeRecord, ChangeState
from cosec.model.snapshot import Snapshot
from cosec.runtime import Runtime

if TYPE_CHECKING:
    from cosec.store import changes as repo
else:
    repo = LazyModule("cosec.store.changes")

app = typer.Typer(
    help="Change records: planned, approved configuration changes.", no_args_is_help=True
)

TenantOpt = Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant name")]


def _latest(rt: Runtime, tenant: str) -> Snapshot:
    from cosec.store.snapshots import latest_snapshot

    with rt.store.session() as s:
        snap = latest_snapshot(s, tenant, at_or_before=rt.now())
    if snap is None:
        raise NotFoundError(
            f"no snapshot of {tenant} yet", hint=f"Collect one first: cosec collect {tenant}"
        )
    return snap


def _done(verb: str, c: ChangeRecord) -> None:
    console.print(
        f"{c.id} {verb}: {safe_text(c.title)} ({len(c.objects)} object(s), window "
        f"{c.window_start:%Y-%m-%d %H:%M}–{c.window_end:%Y-%m-%d %H:%M} UTC)"
    )


@app.command("open")
def open_(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="What changes and why")],
    objects: Annotated[
        list[str],
        typer.Option("--object", "-o", help="RESOURCE/OBJECT-ID it touches (repeat)"),
    ],
    start: Annotated[str, typer.Option("--start", help="Window start (ISO 8601, UTC)")],
    end: Annotated[str | None, typer.Option("--end", help="Window end")] = None,
    hours: Annotated[float, typer.Option("--hours", help="Window length if no --end")] = 4.0,
    tenant: TenantOpt = None,
) -> None:
    """Open a change record (needs a change approver's approval before the window)."""
    from cosec.store.exceptions import decide

    rt = runtime(ctx)
    actor, now = rt.actor(), rt.now()
    name = pick_tenant(rt, tenant)
    window_start = parse_instant(start)
    window_end = parse_instant(end) if end else window_start + timedelta(hours=hours)
    change = decide(
        rt.store,
        lambda s: repo.open_change(
            s,
            tenant=name,
            title=title,
            objects=objects,
            window_start=window_start,
            window_end=window_end,
            requester=actor,
            now=now,
        ),
        at=now,
        actor=actor,
        action="change.open",
        subject=title[:200],
        tenant=name,
    )
    _done("opened", change)


@app.command("approve")
def approve(ctx: typer.Context, change_id: str) -> None:
    """Approve a change (change approver; not your own request)."""
    from cosec.store.exceptions import decide

    rt = runtime(ctx)
    actor, now = rt.actor(), rt.now()
    with rt.store.session() as s:
        tenant = repo.get_change(s, change_id).tenant
    change = decide(
        rt.store,
        lambda s: repo.approve_change(s, change_id, person=actor, now=now),
        at=now,
        actor=actor,
        action="change.approve",
        subject=change_id.upper(),
        tenant=tenant,
    )
    _done("approved", change)


@app.command("close")
def close(ctx: typer.Context, change_id: str) -> None:
    """Close a change: its objects' state in the latest snapshot becomes the baseline."""
    from cosec.store.exceptions import decide

    rt = runtime(ctx)
    actor, now = rt.actor(), rt.now()
    with rt.store.session() as s:
        tenant = repo.get_change(s, change_id).tenant
    snapshot = _latest(rt, tenant)
    change = decide(
        rt.store,
        lambda s: repo.close_change(s, change_id, person=actor, now=now, snapshot=snapshot),
        at=now,
        actor=actor,
        action="change.close",
        subject=change_id.upper(),
        tenant=tenant,
    )
    _done("closed; baseline updated", change)


@app.command("list")
def list_(
    ctx: typer.Context,
    tenant: TenantOpt = None,
    state: Annotated[ChangeState | None, typer.Option(help="Only this state")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List change records."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        changes = repo.list_changes(s, tenant=tenant, state=state)
    if as_json:
        print_json([{"id": c.id, "tenant": c.tenant, **c.summary()} for c in changes])
        return
    table = Table(title="Change records")
    for col in ("id", "tenant", "state", "title", "objects", "window (UTC)", "by", "approver"):
        table.add_column(col)
    for c in changes:
        table.add_row(
            c.id,
            safe_text(c.tenant),
            c.state.value,
            safe_text(c.title),
            "\n".join(safe_text(o) for o in c.objects),
            f"{c.window_start:%Y-%m-%d %H:%M}–{c.window_end:%H:%M}",
            safe_text(c.requester),
            safe_text(c.approver or ""),
        )
    console.print(table)


def drift(
    ctx: typer.Context,
    tenant: TenantOpt = None,
    accept: Annotated[
        str | None, typer.Option("--accept", help="Accept this drift record into the baseline")
    ] = None,
    adopt: Annotated[
        bool, typer.Option("--adopt", help="Adopt the latest snapshot as the approved baseline")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Compare the latest snapshot with the approved baseline; list unapproved drift."""
    from cosec.store.events import iter_events
    from cosec.store.exceptions import decide

    rt = runtime(ctx)
    now = rt.now()
    if accept:
        actor = rt.actor()
        with rt.store.session() as s:
            found = [d for d in repo.list_drift(s) if d.id == accept.upper()]
        record = decide(
            rt.store,
            lambda s: repo.accept_drift(s, accept, person=actor, now=now),
            at=now,
            actor=actor,
            action="drift.accept",
            subject=accept.upper(),
            tenant=found[0].tenant if found else None,
        )
        console.print(f"{record.id} accepted into the baseline: {safe_text(record.describe())}")
        return
    name = pick_tenant(rt, tenant)
    snapshot = _latest(rt, name)
    if adopt:
        actor = rt.actor()
        adopted = decide(
            rt.store,
            lambda s: repo.adopt_baseline(s, tenant=name, snapshot=snapshot, person=actor, now=now),
            at=now,
            actor=actor,
            action="baseline.adopt",
            subject=f"snapshot {snapshot.id}",
            tenant=name,
        )
        total = sum(adopted.values())
        console.print(f"Adopted {total} object(s) of {len(adopted)} resource(s) as the baseline")
        return
    with rt.store.session() as s:
        since = repo.baseline_since(s, name)
        events = [
            e.raw
            for e in iter_events(
                s,
                name,
                "directoryAudits",
                start=since,
                end=snapshot.taken_at + timedelta(seconds=1),
            )
        ]
        report = repo.check_drift(s, tenant=name, snapshot=snapshot, audit_events=events, now=now)
    open_drift = report.new + report.still_open
    if as_json:
        print_json(
            {
                "tenant": name,
                "snapshot_taken_at": report.snapshot_taken_at,
                "drift": [
                    {
                        "id": d.id,
                        "object": d.key,
                        "name": d.display_name,
                        "kind": d.kind,
                        "changes": list(d.changes),
                        "actor": d.actor,
                        "acted_at": d.acted_at,
                        "new": d in report.new,
                    }
                    for d in open_drift
                ],
                "within_changes": [
                    {"object": diff.key, "change": cid} for diff, cid in report.within_changes
                ],
                "reverted": [d.id for d in report.reverted],
                "not_baselined": report.not_baselined,
                "unreadable": report.unreadable,
            }
        )
        return
    for diff, cid in report.within_changes:
        console.print(f"[green]within {cid}[/]: {safe_text(diff.describe())}")
    for d in report.reverted:
        console.print(f"[green]{d.id} reverted[/]: back to baseline ({safe_text(d.key)})")
    for d in open_drift:
        who = f"by {d.actor} at {d.acted_at:%Y-%m-%d %H:%M}" if d.acted_at else "by unknown"
        console.print(f"[red]{d.id} unapproved[/]: {safe_text(d.describe())} ({safe_text(who)})")
        for c in d.changes:
            console.print(
                f"    {safe_text(c['path'])}: {safe_text(c['old'])} → {safe_text(c['new'])}"
            )
    for r in report.unreadable:
        console.print(f"[yellow]not assessed[/]: {r} could not be read in the latest snapshot")
    for r in report.not_baselined:
        console.print(f"[yellow]no baseline[/]: {r} (adopt with cosec drift --adopt)")
    console.print(
        f"{len(open_drift)} unapproved drift ({len(report.new)} new), "
        f"{len(report.within_changes)} within approved changes"
    )
    if open_drift:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.command("drift")(drift)
