"""`cosec assess`: run the control catalog on the latest snapshot and report.

`cosec assess attest CONTROL --note …` records what no API can show (e.g. that a
break-glass sign-in alert was tested).
"""

from __future__ import annotations

from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.authz import Action
from cosec.cli.common import LazyModule, console, runtime, safe_text
from cosec.errors import ConfigError, NotFoundError
from cosec.runtime import Runtime

if TYPE_CHECKING:
    from cosec.controls.run import AssessmentRun, RunDiff
    from cosec.store import assessments
else:
    assessments = LazyModule("cosec.store.assessments")

FORMATS = ("table", "json", "csv", "ocsf", "html")
# by Status value: cosec.controls is imported only by the commands that assess
STATUS_STYLE = {
    "pass": "green",
    "fail": "bold red",
    "accepted": "yellow",
    "not_applicable": "dim",
    "not_assessed": "magenta",
    "error": "bold magenta",
}

app = typer.Typer(help="Assess a tenant against the control catalog.", invoke_without_command=True)


def _tenant(rt: Runtime, tenant: str | None) -> str:
    if tenant:
        return tenant
    names = [t.name for t in rt.workspace.tenants]
    if len(names) != 1:
        raise ConfigError(
            "more than one tenant in cosec.yaml" if names else "no tenant in cosec.yaml",
            hint="pass --tenant NAME",
        )
    return names[0]


def _table(run: AssessmentRun, diff: RunDiff) -> None:
    from cosec.controls.base import Status
    from cosec.controls.run import Change

    by_area: dict[str, list[int]] = {}
    for n, f in enumerate(run.findings):
        by_area.setdefault(f.area.value, []).append(n)
    for area, indexes in by_area.items():
        first = run.findings[indexes[0]]
        owners = first.owner_labels()
        tally = Counter(run.findings[n].status.value for n in indexes)
        counts = ", ".join(f"{tally[s.value]} {s.value}" for s in Status if tally[s.value])
        table = Table(
            title=f"{area.replace('_', ' ').capitalize()} ({counts}) — configure: "
            f"{safe_text(owners.get('configure'))} · monitor: {safe_text(owners.get('monitor'))}"
            f" · respond: {safe_text(owners.get('respond'))}",
            title_justify="left",
        )
        for col in ("control", "status", "severity", "title", "summary"):
            table.add_column(col, overflow="fold")
        for n in indexes:
            f = run.findings[n]
            detail = f.summary + (f"\n{f.would_pass_with}" if f.would_pass_with else "")
            table.add_row(
                f.control_id,
                f"[{STATUS_STYLE[f.status.value]}]{f.status.value}[/]",
                f.severity.value,
                safe_text(f.title),
                safe_text(detail),
            )
        console.print(table)
    counts = ", ".join(f"{n} {s}" for s, n in run.counts.items() if n)
    console.print(f"[bold]{safe_text(run.tenant)}[/]: {len(run.findings)} controls — {counts}")
    if diff.previous_run is None:
        console.print("first assessment of this tenant")
        return
    console.print(f"changes since run {diff.previous_run}:")
    for change in Change:
        ids = diff.of(change)
        console.print(f"  {change.value}: {', '.join(ids) if ids else 'none'}")


@app.callback()
def assess(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant name")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json, csv, ocsf or html")
    ] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write")] = None,
) -> None:
    """Assess the tenant's latest snapshot, store the run and show changes since the last."""
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    from cosec.controls.catalog import renamed
    from cosec.controls.export import to_csv, to_html, to_json, to_ocsf
    from cosec.controls.run import compare
    from cosec.store.snapshots import latest_snapshot

    rt = runtime(ctx)
    name = _tenant(rt, tenant)
    now = rt.now()
    with rt.store.session() as session:
        snapshot = latest_snapshot(session, name)
        if snapshot is None:
            raise NotFoundError(
                f"no snapshot of tenant {name!r} yet", hint=f"run `cosec collect --tenant {name}`"
            )
        previous = assessments.latest_run(session, name)
        context = assessments.build_context(session, rt.workspace, name, now, snapshot)
        run = assessments.run_assessment(session, snapshot, context)
    diff = compare(previous, run, renamed())
    if fmt == "table":
        _table(run, diff)
        return
    text = {
        "json": lambda: to_json(run, diff),
        "csv": lambda: to_csv(run),
        "ocsf": lambda: to_ocsf(run, version("cosec")),
        "html": lambda: to_html(run, diff),
    }[fmt]()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output} (run {run.id})")


@app.command("attest")
def attest(
    ctx: typer.Context,
    control_id: Annotated[str, typer.Argument(help="Control id, e.g. IDN-010v1")],
    note: Annotated[str, typer.Option("--note", help="What was checked, and how")],
    tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant name")] = None,
) -> None:
    """Record that a control holds where no API can show it (dated, audited)."""
    rt = runtime(ctx)
    person = rt.authorize(Action.ASSESS_ATTEST)
    name = _tenant(rt, tenant)
    with rt.store.session() as session:
        assessments.attest(
            session, tenant=name, control_id=control_id, at=rt.now(), actor=person.id, note=note
        )
    rt.record(actor=person, action="assess.attest", subject=control_id, tenant=name, note=note)
    console.print(f"{safe_text(control_id)} attested for {safe_text(name)} by {person.id}")


controls_app = typer.Typer(help="The control catalog.", no_args_is_help=True)


@controls_app.command("list")
def list_controls(
    area: Annotated[str | None, typer.Option("--area", help="Only this control area")] = None,
) -> None:
    """Every control: id, severity, area, NIST CSF 2.0 subcategories, title."""
    from cosec.controls.catalog import load_catalog

    table = Table(title="Control catalog (docs/controls.md has the details)")
    for col in ("id", "severity", "area", "CSF 2.0", "title"):
        table.add_column(col, overflow="fold")
    shown = [c for c in load_catalog() if area is None or c.area.value == area]
    if not shown:
        raise NotFoundError(f"no control in area {area!r}")
    for c in shown:
        table.add_row(c.id, c.severity.value, c.area.value, ", ".join(c.csf), c.title)
    console.print(table)


@controls_app.command("show")
def show_control(control_id: Annotated[str, typer.Argument(help="e.g. IDN-001v1")]) -> None:
    """One control: rationale, mappings, data it reads, remediation."""
    from cosec.controls.catalog import control_by_id

    try:
        c = control_by_id(control_id)
    except KeyError:
        raise NotFoundError(
            f"no control {control_id!r}", hint="see `cosec controls list`"
        ) from None
    console.print(f"[bold]{c.id}[/] {c.title} — {c.severity.value}, {c.area.value}")
    console.print(c.rationale)
    console.print(f"NIST CSF 2.0: {', '.join(c.csf)}")
    console.print(f"CIS: {', '.join(c.cis) or '—'}  SCuBA: {', '.join(c.scuba) or '—'}")
    console.print(f"reads: {', '.join((*c.requires, *c.optional)) or 'cosec registers only'}")
    console.print(f"remediation: {c.remediation.portal}")
    console.print(f"command: {c.remediation.command}", soft_wrap=True)
    if c.decided_by:
        console.print(f"how it decides: {c.decided_by}")
