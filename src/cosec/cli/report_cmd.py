"""`cosec report monthly|quarterly|held`: the governance reviews and their records."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from cosec.authz import Action
from cosec.cli.common import console, runtime
from cosec.clock import parse_instant
from cosec.errors import ConfigError
from cosec.metrics.periods import Period, PeriodError, PeriodKind, containing, parse_period
from cosec.runtime import Runtime

app = typer.Typer(help="Monthly operational and quarterly executive reviews.", no_args_is_help=True)

TenantOpt = Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant name")]
PeriodOpt = Annotated[
    str | None, typer.Option("--period", "-p", help="2026-10 or 2026-Q3 (default: the last one)")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="html, pdf or both")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Directory to write into")]


def pick_tenant(rt: Runtime, tenant: str | None) -> str:
    """The named tenant (declared in cosec.yaml), or the workspace's only one."""
    names = [t.name for t in rt.workspace.tenants]
    if tenant:
        if tenant not in names:
            raise ConfigError(
                f"tenant {tenant!r} is not declared in cosec.yaml (known: {', '.join(names)})"
            )
        return tenant
    if len(names) == 1:
        return names[0]
    raise ConfigError(f"give --tenant (the workspace declares {len(names)} tenants)")


def pick_period(rt: Runtime, label: str | None, kind: PeriodKind) -> Period:
    """The period named, or the last complete one of `kind` before now."""
    if label is None:
        return containing(kind, rt.now()).previous()
    try:
        return parse_period(label)
    except PeriodError as exc:
        raise ConfigError(str(exc)) from None


def _formats(value: str) -> tuple[str, ...]:
    from cosec.reports.render import FORMATS

    if value == "both":
        return FORMATS
    if value not in FORMATS:
        raise ConfigError(f"--format must be html, pdf or both, got {value!r}")
    return (value,)


def _write(
    ctx: typer.Context, kind: str, tenant: str | None, period: str | None, fmt: str, output: Path
) -> None:
    from cosec.reports.service import check_period, write_review_files

    rt = runtime(ctx)
    name = pick_tenant(rt, tenant)
    p = pick_period(rt, period, PeriodKind.MONTH if kind == "monthly" else PeriodKind.QUARTER)
    check_period(kind, p)
    with console.status(f"Building the {kind} review of {name} for {p.label}…"):
        paths = write_review_files(
            rt.store,
            rt.workspace,
            name,
            kind,
            p,
            output,
            now=rt.now(),
            formats=_formats(fmt),
        )
    for path in paths:
        console.print(f"wrote {path}")


@app.command("monthly")
def monthly(
    ctx: typer.Context,
    tenant: TenantOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = "both",
    output: OutputOpt = Path("reports"),
) -> None:
    """Monthly operational review: changes, alerts and SLAs, trends, top risks, exceptions."""
    _write(ctx, "monthly", tenant, period, fmt, output)


@app.command("quarterly")
def quarterly(
    ctx: typer.Context,
    tenant: TenantOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = "both",
    output: OutputOpt = Path("reports"),
) -> None:
    """Quarterly executive review: outcomes, decisions, roadmap, NIST CSF 2.0 summary."""
    _write(ctx, "quarterly", tenant, period, fmt, output)


@app.command("held")
def held(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="monthly or quarterly")],
    tenant: TenantOpt = None,
    period: PeriodOpt = None,
    held_at: Annotated[
        str | None, typer.Option("--held-at", help="When it was held (default: now)")
    ] = None,
    attendees: Annotated[str, typer.Option("--attendees", help="Comma-separated person ids")] = "",
    notes: Annotated[str, typer.Option("--notes")] = "",
) -> None:
    """Record that a review was held (governance controls check the cadence)."""
    from cosec.reports.service import check_period
    from cosec.store.metrics import record_review

    rt = runtime(ctx)
    actor = rt.authorize(Action.REVIEW_RECORD)
    name = pick_tenant(rt, tenant)
    if kind not in ("monthly", "quarterly"):
        raise ConfigError(f"review kind must be monthly or quarterly, got {kind!r}")
    p = pick_period(rt, period, PeriodKind.MONTH if kind == "monthly" else PeriodKind.QUARTER)
    check_period(kind, p)
    people = [a.strip() for a in attendees.split(",") if a.strip()]
    for person in people:
        rt.workspace.person(person)  # unknown ids are an error naming the known ones
    when: datetime = parse_instant(held_at) if held_at else rt.now()
    with rt.store.session() as session:
        record_review(
            session,
            tenant=name,
            kind=kind,
            period=p.label,
            held_at=when,
            recorded_by=actor.id,
            party=actor.party,
            recorded_at=rt.now(),
            attendees=people,
            notes=notes,
        )
    console.print(f"recorded the {kind} review of {name} for {p.label}, held {when:%Y-%m-%d}")
