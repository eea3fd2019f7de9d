"""`cosec exceptions …`: the exception (risk acceptance) register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.cli.common import LazyModule, console, print_json, runtime, safe_text
from cosec.clock import parse_instant
from cosec.config import ExceptionPolicy, Severity, parse_duration
from cosec.errors import ConfigError, NotFoundError
from cosec.governance.exceptions import ExceptionRecord, ExceptionState, is_permanent
from cosec.governance.reconcile import exposed_principals, reconcile
from cosec.runtime import Runtime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cosec.config import Person
    from cosec.store import exceptions as register
else:
    register = LazyModule("cosec.store.exceptions")

app = typer.Typer(help="Exceptions: risk acceptances that always expire.", no_args_is_help=True)

TenantOpt = Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant name")]
NoteOpt = Annotated[str, typer.Option("--note", "-n", help="Review note / reason")]
ExpiresOpt = Annotated[
    str | None, typer.Option("--expires", help="Expiry date or time (ISO 8601, UTC)")
]
ForOpt = Annotated[str | None, typer.Option("--for", help="Duration instead, e.g. 30d")]


def pick_tenant(rt: Runtime, tenant: str | None) -> str:
    """The named tenant (declared in cosec.yaml or registered), or the only declared one."""
    declared = [t.name for t in rt.workspace.tenants]
    if tenant is None:
        if len(declared) == 1:
            return declared[0]
        raise ConfigError(f"give --tenant (the workspace declares {len(declared)} tenants)")
    if tenant in declared:
        return tenant
    from cosec.store.tenants import list_tenants

    with rt.store.session() as s:
        registered = [t.name for t in list_tenants(s)]
    if tenant in registered:
        return tenant
    known = ", ".join(sorted({*declared, *registered})) or "none"
    raise NotFoundError(f"no tenant {tenant!r} (known: {known})")


def _expiry(now: datetime, expires: str | None, duration: str | None) -> datetime | None:
    if expires and duration:
        raise ConfigError("give either --expires or --for, not both")
    if expires:
        return parse_instant(expires)
    if duration:
        try:
            return now + parse_duration(duration)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    return None


def control_severity(control_id: str, given: Severity | None) -> Severity:
    """The severity of the control from the catalog; --severity only for other controls."""
    from cosec.controls.catalog import control_by_id

    try:
        known: Severity | None = control_by_id(control_id).severity
    except KeyError:
        known = None
    if known is not None and given is not None and given is not known:
        raise ConfigError(
            f"{control_id} is a {known.value} control in the catalog, not {given.value}"
        )
    severity = known or given
    if severity is None:
        raise ConfigError(
            f"no control {control_id!r} in the catalog",
            hint="Check the id (cosec controls list), or give --severity for a control "
            "tracked outside cosec.",
        )
    return severity


def _as_dict(r: ExceptionRecord, now: datetime, policy: ExceptionPolicy) -> dict[str, object]:
    return {
        "id": r.id,
        "tenant": r.tenant,
        "control": r.control_id,
        "severity": r.severity.value,
        "state": r.state_at(now).value,
        "scope": list(r.scope),
        "justification": r.justification,
        "compensating_controls": r.compensating_controls,
        "requester": r.requester,
        "requester_party": r.requester_party,
        "risk_owner": r.risk_owner,
        "approver": r.approver,
        "proposed_at": r.proposed_at,
        "decided_at": r.decided_at,
        "expires_at": r.expires_at,
        "renewal_of": r.renewal_of,
        "renewal_count": r.renewal_count,
        "permanent": is_permanent(r, policy, now),
        "review_notes": [{"at": n.at, "by": n.by, "note": n.note} for n in r.review_notes],
    }


def named_scope(rt: Runtime, tenant: str, scope: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Each scope entry as a reader knows it ("Ada Lee (ada@…), break-glass Global
    Administrator") and whether it is privileged, from the tenant's latest snapshot."""
    if not scope:
        return [("whole tenant", False)]
    from cosec.model.view import TenantView
    from cosec.reports.names import Directory, build_directory
    from cosec.store.snapshots import latest_snapshot

    glass = next((t.break_glass_accounts for t in rt.workspace.tenants if t.name == tenant), ())
    with rt.store.session() as s:
        snap = latest_snapshot(s, tenant)
    names = build_directory(TenantView.from_snapshot(snap), glass) if snap else Directory()
    out = []
    for entry in scope:
        found = names.get(entry)
        if found is None:
            out.append((f"{entry} (not in the latest collection)", False))
        else:
            out.append((found.described(), found.privileged or found.break_glass))
    return out


def _done(verb: str, r: ExceptionRecord, rt: Runtime) -> None:
    console.print(
        f"{r.id} {verb}: {r.control_id} on {r.tenant}, state {r.state.value}, "
        f"expires {r.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    console.print("Covers:")
    for line, privileged in named_scope(rt, r.tenant, r.scope):
        flag = "[yellow]⚠ privileged[/] " if privileged else ""
        console.print(f"  {flag}{safe_text(line)}")


@app.command("propose")
def propose(
    ctx: typer.Context,
    control: Annotated[str, typer.Option("--control", "-c", help="Control id, e.g. IDN-001v1")],
    justification: Annotated[str, typer.Option("--justification", "-j")],
    compensating: Annotated[str, typer.Option("--compensating", help="Compensating controls")],
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", "-s", help="Object id covered (repeat); none = whole tenant"),
    ] = None,
    tenant: TenantOpt = None,
    expires: ExpiresOpt = None,
    duration: ForOpt = None,
    risk_owner: Annotated[
        str | None, typer.Option(help="Internal risk owner who will own it")
    ] = None,
    severity: Annotated[
        Severity | None, typer.Option(help="Only for controls outside the catalog")
    ] = None,
) -> None:
    """Propose an exception; it is valid only once an internal risk owner approves it."""
    rt = runtime(ctx)
    actor = rt.actor()
    now = rt.now()
    name = pick_tenant(rt, tenant)
    owner = rt.workspace.person(risk_owner) if risk_owner else None
    level = control_severity(control, severity)
    record = register.decide(
        rt.store,
        lambda s: register.propose(
            s,
            tenant=name,
            control_id=control,
            severity=level,
            scope=scope or [],
            justification=justification,
            compensating_controls=compensating,
            requester=actor,
            expires_at=_expiry(now, expires, duration),
            now=now,
            policy=rt.workspace.exceptions,
            risk_owner=owner,
        ),
        at=now,
        actor=actor,
        action="exception.propose",
        subject=control,
        tenant=name,
        intake_control=control,
    )
    _done("proposed", record, rt)


@app.command("approve")
def approve(ctx: typer.Context, exception_id: str, note: NoteOpt = "") -> None:
    """Approve a proposal (internal risk owner; never your own request)."""
    record = _decide_on(
        ctx,
        exception_id,
        "exception.approve",
        lambda s, who, now: register.approve(s, exception_id, approver=who, now=now, note=note),
    )
    _done("approved", record, runtime(ctx))


@app.command("reject")
def reject(ctx: typer.Context, exception_id: str, note: NoteOpt = "") -> None:
    """Reject a proposal, with the reason (internal risk owner)."""
    record = _decide_on(
        ctx,
        exception_id,
        "exception.reject",
        lambda s, who, now: register.reject(s, exception_id, person=who, now=now, note=note),
    )
    _done("rejected", record, runtime(ctx))


@app.command("revoke")
def revoke(ctx: typer.Context, exception_id: str, note: NoteOpt = "") -> None:
    """Withdraw an exception before its expiry, with the reason (internal risk owner)."""
    record = _decide_on(
        ctx,
        exception_id,
        "exception.revoke",
        lambda s, who, now: register.revoke(s, exception_id, person=who, now=now, note=note),
    )
    _done("revoked", record, runtime(ctx))


@app.command("renew")
def renew(
    ctx: typer.Context,
    exception_id: str,
    expires: ExpiresOpt = None,
    duration: ForOpt = None,
    justification: Annotated[str | None, typer.Option("--justification", "-j")] = None,
    compensating: Annotated[str | None, typer.Option("--compensating")] = None,
) -> None:
    """Propose a renewal: a new, linked proposal that needs its own approval."""
    rt = runtime(ctx)
    actor, now = rt.actor(), rt.now()
    with rt.store.session() as s:
        previous = register.get(s, exception_id)
    record = register.decide(
        rt.store,
        lambda s: register.renew(
            s,
            exception_id,
            requester=actor,
            expires_at=_expiry(now, expires, duration),
            now=now,
            policy=rt.workspace.exceptions,
            justification=justification,
            compensating_controls=compensating,
        ),
        at=now,
        actor=actor,
        action="exception.renew",
        subject=previous.id,
        tenant=previous.tenant,
        intake_control=previous.control_id,
    )
    _done(f"proposed as renewal {record.renewal_count} of {previous.id}", record, runtime(ctx))


@app.command("note")
def note_(ctx: typer.Context, exception_id: str, note: NoteOpt = "") -> None:
    """Add a review note to an exception (any person; audited)."""
    record = _decide_on(
        ctx,
        exception_id,
        "exception.note",
        lambda s, who, now: register.add_note(s, exception_id, person=who, now=now, note=note),
    )
    console.print(f"{record.id}: note recorded ({len(record.review_notes)} in total)")


def _decide_on(
    ctx: typer.Context,
    exception_id: str,
    action: str,
    step: Callable[[Session, Person, datetime], ExceptionRecord],
) -> ExceptionRecord:
    """Take one decision on an existing exception as the acting person, audited (refusals
    included) under the exception's tenant."""
    rt = runtime(ctx)
    actor, now = rt.actor(), rt.now()
    return register.decide(
        rt.store,
        lambda s: step(s, actor, now),
        at=now,
        actor=actor,
        action=action,
        subject=exception_id.upper(),
        tenant=_tenant_of(rt, exception_id),
    )


def _tenant_of(rt: Runtime, exception_id: str) -> str:
    with rt.store.session() as s:
        return register.get(s, exception_id).tenant


@app.command("list")
def list_(
    ctx: typer.Context,
    tenant: TenantOpt = None,
    state: Annotated[ExceptionState | None, typer.Option(help="Only this state")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the register (states as of now: approved past expiry shows as expired)."""
    rt = runtime(ctx)
    now = rt.now()
    with rt.store.session() as s:
        records = [
            r
            for r in register.list_records(s, tenant=tenant)
            if state is None or r.state_at(now) is state
        ]
    if as_json:
        print_json([_as_dict(r, now, rt.workspace.exceptions) for r in records])
        return
    table = Table(title="Exception register")
    for col in ("id", "tenant", "control", "sev", "state", "scope", "requester", "approver"):
        table.add_column(col)
    table.add_column("expires (UTC)")
    for r in records:
        table.add_row(
            r.id,
            safe_text(r.tenant),
            r.control_id,
            r.severity.value,
            r.state_at(now).value
            + (" [red](permanent)[/]" if is_permanent(r, rt.workspace.exceptions, now) else ""),
            ", ".join(safe_text(x) for x in r.scope) or "whole tenant",
            f"{safe_text(r.requester)} ({r.requester_party})",
            safe_text(r.approver or ""),
            f"{r.expires_at:%Y-%m-%d %H:%M}",
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    exception_id: str,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one exception with its review notes."""
    rt = runtime(ctx)
    now = rt.now()
    with rt.store.session() as s:
        record = register.get(s, exception_id)
    data = _as_dict(record, now, rt.workspace.exceptions)
    covered = named_scope(rt, record.tenant, record.scope)
    data["scope_named"] = [line for line, _ in covered]
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        if key not in ("review_notes", "scope_named"):
            console.print(f"[bold]{key}[/]: {safe_text(value) if value is not None else '—'}")
    console.print("[bold]covers[/]:")
    for line, privileged in covered:
        console.print(f"  {'[yellow]⚠ privileged[/] ' if privileged else ''}{safe_text(line)}")
    for note in record.review_notes:
        console.print(f"  {note.at:%Y-%m-%d %H:%M} {safe_text(note.by)}: {safe_text(note.note)}")


@app.command("sweep")
def sweep(ctx: typer.Context) -> None:
    """Run the expiry and reminder job now (the scheduler runs it hourly)."""
    from cosec.jobs.registry import expire_and_remind
    from cosec.jobs.scheduler import JobContext

    rt = runtime(ctx)
    console.print(expire_and_remind(JobContext(rt.store, rt.workspace, rt.now())))


@app.command("outbox")
def outbox(
    ctx: typer.Context,
    unsent: Annotated[bool, typer.Option("--unsent", help="Only undelivered ones")] = False,
) -> None:
    """List queued notifications (expiry reminders to risk owners)."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        rows = register.outbox(s, unsent_only=unsent)
    table = Table(title="Notification outbox")
    for col in ("created (UTC)", "to", "subject", "sent"):
        table.add_column(col)
    for n in rows:
        sent = f"{n.sent_at:%Y-%m-%d %H:%M}" if n.sent_at else (n.error or "queued")
        table.add_row(f"{n.created_at:%Y-%m-%d %H:%M}", n.recipient, safe_text(n.subject), sent)
    console.print(table)


@app.command("reconcile")
def reconcile_cmd(ctx: typer.Context, tenant: TenantOpt = None) -> None:
    """Check that every policy exclusion is covered by an exception or a break-glass account."""
    from cosec.store.snapshots import latest_snapshot

    rt = runtime(ctx)
    name = pick_tenant(rt, tenant)
    now = rt.now()
    with rt.store.session() as s:
        snap = latest_snapshot(s, name, at_or_before=now)
        grants = register.valid_grants(s, name, now)
    if snap is None:
        raise NotFoundError(f"no snapshot of {name} yet", hint=f"Collect one: cosec collect {name}")
    glass = rt.workspace.tenant_settings(name).break_glass_accounts
    results = reconcile(snap, grants, glass)
    for r in results:
        if r.covered_by:
            console.print(f"[green]covered[/] by {r.covered_by}: {safe_text(r.describe())}")
        else:
            console.print(f"[red]uncovered[/]: {safe_text(r.describe())}")
    missing = [r for r in results if r.covered_by is None]
    for key in ("conditionalAccessPolicies", "antiPhishRules", "antiPhishPolicies"):
        if not snap.available(key):
            console.print(f"[yellow]not assessed[/]: {key} could not be read")
    console.print(f"{len(results)} exclusion(s), {len(missing)} not covered")
    if missing:
        raise typer.Exit(1)


@app.command("stats")
def stats(
    ctx: typer.Context,
    tenant: TenantOpt = None,
    days: Annotated[int, typer.Option(min=1, help="Period length, ending now")] = 30,
) -> None:
    """Review figures: pending, time to decision, expiring, expired still relied on, refusals."""
    from cosec.store.snapshots import latest_snapshot

    rt = runtime(ctx)
    name = pick_tenant(rt, tenant)
    now = rt.now()
    with rt.store.session() as s:
        snap = latest_snapshot(s, name, at_or_before=now)
        figures = register.register_stats(
            s,
            name,
            now - timedelta(days=days),
            now,
            now,
            policy=rt.workspace.exceptions,
            exposed=exposed_principals(snap) if snap else (),
        )
    print_json({"tenant": name, "period_days": days, **asdict(figures)})
