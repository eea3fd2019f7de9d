"""`cosec evidence record|import|list|pack|verify`: evidence no API holds, and signed packs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.authz import Action
from cosec.cli.common import console, print_json, runtime, safe_text
from cosec.cli.report_cmd import pick_period, pick_tenant
from cosec.clock import parse_instant
from cosec.config import parse_duration
from cosec.errors import ConfigError
from cosec.metrics.periods import PeriodKind, containing

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

app = typer.Typer(help="Recorded evidence and signed evidence packs.", no_args_is_help=True)
record_app = typer.Typer(help="Record evidence that no Microsoft API holds.", no_args_is_help=True)
import_app = typer.Typer(help="Import recorded evidence from files.", no_args_is_help=True)
list_app = typer.Typer(help="List recorded evidence.", no_args_is_help=True)
app.add_typer(record_app, name="record")
app.add_typer(import_app, name="import")
app.add_typer(list_app, name="list")

# Who may record evidence of operations: the business's IT lead, or the partner's people.


def _duration(option: str, value: str | None) -> timedelta | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ConfigError(str(exc), field=option) from None


@record_app.command("restore-test")
def record_restore_test(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Option("--dataset", help="What was restored")],
    tested_at: Annotated[str, typer.Option("--tested-at", help="When (ISO 8601, UTC)")],
    result: Annotated[str, typer.Option("--result", help="success or failure")],
    tenant: Annotated[str | None, typer.Option("--tenant", "-t")] = None,
    time_to_restore: Annotated[
        str | None, typer.Option("--time-to-restore", help="e.g. 45m (needed on success)")
    ] = None,
    target: Annotated[str | None, typer.Option("--target", help="Target time, e.g. 4h")] = None,
    notes: Annotated[str, typer.Option("--notes")] = "",
) -> None:
    """Record one restore test."""
    from cosec.store.evidence import RestoreTestInput, add_restore_tests, parse_result

    rt = runtime(ctx)
    actor = rt.authorize(Action.EVIDENCE_RECORD)
    name = pick_tenant(rt, tenant)
    try:
        succeeded = parse_result(result)
    except ValueError as exc:
        raise ConfigError(str(exc), field="--result") from None
    ttr, goal = _duration("--time-to-restore", time_to_restore), _duration("--target", target)
    if succeeded and ttr is None:
        raise ConfigError("a successful restore needs --time-to-restore")
    test = RestoreTestInput(
        tenant=name,
        dataset=dataset,
        tested_at=parse_instant(tested_at),
        succeeded=succeeded,
        time_to_restore=ttr,
        target=goal,
        notes=notes,
    )
    with rt.store.session() as session:
        add_restore_tests(
            session,
            [test],
            recorded_by=actor.id,
            party=actor.party,
            recorded_at=rt.now(),
            source="manual",
        )
    console.print(f"recorded the {result} restore test of {safe_text(dataset)} ({safe_text(name)})")


@import_app.command("restore-tests")
def import_restore_tests(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: tenant,dataset,tested_at,result,…")],
) -> None:
    """Import restore tests from CSV: all rows or none."""
    from cosec.store.evidence import add_restore_tests, parse_restore_csv

    rt = runtime(ctx)
    actor = rt.authorize(Action.EVIDENCE_RECORD)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {file}: {exc.strerror}") from None
    known = {t.name for t in rt.workspace.tenants}
    tests = parse_restore_csv(text, source=str(file), known_tenants=known)
    with rt.store.session() as session:
        n = add_restore_tests(
            session,
            tests,
            recorded_by=actor.id,
            party=actor.party,
            recorded_at=rt.now(),
            source=f"import:{file.name}",
        )
    console.print(f"imported {n} restore tests from {file}")


@list_app.command("restore-tests")
def list_restore_tests(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t")] = None,
    period: Annotated[
        str | None, typer.Option("--period", "-p", help="e.g. 2026-Q3 (default: this quarter)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Restore tests recorded for a period."""
    from cosec.store.evidence import restore_tests

    rt = runtime(ctx)
    name = pick_tenant(rt, tenant)
    p = (
        pick_period(rt, period, PeriodKind.QUARTER)
        if period
        else containing(PeriodKind.QUARTER, rt.now())
    )
    with rt.store.session() as session:
        tests = restore_tests(session, name, p.start, p.end)
    if as_json:
        print_json([asdict(t) for t in tests])
        return
    table = Table(title=f"Restore tests of {safe_text(name)} · {p.title}", title_justify="left")
    for col in ("tested", "dataset", "result", "time to restore", "target", "by", "source"):
        table.add_column(col)
    for t in tests:
        table.add_row(
            f"{t.tested_at:%Y-%m-%d %H:%M}",
            safe_text(t.dataset),
            "[green]success[/]" if t.succeeded else "[red]failure[/]",
            _minutes(t.time_to_restore),
            _minutes(t.target),
            safe_text(t.recorded_by),
            safe_text(t.source),
        )
    console.print(
        table if tests else f"no restore test recorded for {safe_text(name)} in {p.label}"
    )


def _minutes(delta: timedelta | None) -> str:
    return "—" if delta is None else f"{round(delta.total_seconds() / 60)} min"


@app.command("pack")
def pack(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t")] = None,
    period: Annotated[
        str | None, typer.Option("--period", "-p", help="2026-10 or 2026-Q3 (default: last month)")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="FILE.zip")] = None,
) -> None:
    """Write a signed evidence pack (findings, metrics, reports, raw evidence, registers)."""
    from cosec.reports.service import write_evidence_pack

    rt = runtime(ctx)
    name = pick_tenant(rt, tenant)
    p = pick_period(rt, period, PeriodKind.MONTH)
    target = output or Path(f"{name}-evidence-{p.label}.zip")
    with console.status(f"Building the evidence pack of {name} for {p.label}…"):
        path = write_evidence_pack(
            rt.store,
            rt.workspace,
            rt.settings.data_dir,
            name,
            p,
            target,
            now=rt.now(),
        )
    console.print(f"wrote {path}")


@app.command("verify")
def verify(
    ctx: typer.Context,
    pack_file: Annotated[Path, typer.Argument(metavar="PACK", help="An evidence pack zip")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Check an evidence pack: every file's digest and the signature. Exit 1 if changed."""
    from cosec.reports.pack import verify_pack
    from cosec.store.evidence import SIGNING_KEY_FILE, load_or_create_signing_key

    rt = runtime(ctx)
    trusted: Ed25519PublicKey | None = None
    if (rt.settings.data_dir / SIGNING_KEY_FILE).exists():
        trusted = load_or_create_signing_key(rt.settings.data_dir).public_key()
    result = verify_pack(pack_file, trusted=trusted)
    if as_json:
        print_json(
            {
                "ok": result.ok,
                "tenant": result.tenant,
                "period": result.period,
                "signing_key": result.signing_key,
                "files": result.files,
                "problems": result.problems,
            }
        )
    elif result.ok:
        console.print(
            f"[green]OK[/] {pack_file}: {result.files} files intact, signed by {result.signing_key}"
            + ("" if trusted else " (no workspace key here to compare with)"),
            soft_wrap=True,
        )
    else:
        for problem in result.problems:
            console.print(f"[red]✗[/] {problem}", soft_wrap=True)
    if not result.ok:
        raise typer.Exit(1)
