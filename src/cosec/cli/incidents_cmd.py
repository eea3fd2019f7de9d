"""`cosec incidents declare|list|show|timeline|act|approve|contain|status|close|note|inform|
oncall`: declared incidents, authorised response actions and the timeline."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from cosec.authz import Action
from cosec.cli.common import (
    LazyModule,
    console,
    print_json,
    record_audit,
    runtime,
    safe_text,
)
from cosec.clock import parse_instant
from cosec.config import Authority, Person, ResponseAction, Severity
from cosec.errors import AuthorizationError, ConfigError, CosecError, CredentialError, NotFoundError
from cosec.incidents import actions as plans
from cosec.incidents import authority, oncall
from cosec.incidents.actions import ActionTarget
from cosec.incidents.lifecycle import IncidentError, IncidentStatus
from cosec.incidents.timeline import EntryKind, mean, response_times
from cosec.runtime import Runtime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cosec.incidents.executor import Outcome
    from cosec.store import incidents as repo
    from cosec.store import tenants as tenant_repo
else:
    repo = LazyModule("cosec.store.incidents")
    tenant_repo = LazyModule("cosec.store.tenants")

app = typer.Typer(help="Incidents and authorised response actions.", no_args_is_help=True)


def _audit(
    rt: Runtime, s: Session, actor: Person, action: str, incident: repo.IncidentRecord, **kw: Any
) -> None:
    record_audit(rt, s, actor, action, subject=incident.code, tenant=incident.tenant, **kw)


def declare_incident(
    rt: Runtime,
    *,
    tenant: str,
    type_key: str,
    severity: Severity | None,
    title: str | None,
    alert_ids: list[int],
) -> repo.IncidentRecord:
    """Declare an incident (declaring roles only) and escalate its alerts into it."""
    settings = rt.workspace.incident_response
    actor = rt.actor()
    authority.check_declare(actor, settings.declare_roles)
    incident_type = settings.types.get(type_key)
    if incident_type is None:
        known = ", ".join(sorted(settings.types))
        raise ConfigError(f"no incident type {type_key!r}", hint=f"Known types: {known}.")
    with rt.store.session() as s:
        tenant_repo.get_tenant(s, tenant)
        incident = repo.declare(
            s,
            tenant=tenant,
            type_key=type_key,
            settings=incident_type,
            severity=severity,
            title=title,
            actor=actor.id,
            now=rt.now(),
            alert_ids=alert_ids,
        )
        _audit(
            rt,
            s,
            actor,
            "incident.declare",
            incident,
            after={"type": type_key, "severity": incident.severity.value, "alerts": alert_ids},
        )
    console.print(
        f"Declared {incident.code} ({safe_text(type_key)}, {incident.severity.value}): "
        f"{safe_text(incident.title)}"
    )
    for n, step in enumerate(incident_type.playbook, 1):
        console.print(f"  playbook {n}. {safe_text(step)}")
    return incident


@app.command("declare")
def declare(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option("--tenant", "-t")],
    type_: Annotated[str, typer.Option("--type", help="Incident type from cosec.yaml")],
    alert: Annotated[list[int] | None, typer.Option(help="Alert to escalate (repeatable)")] = None,
    severity: Annotated[Severity | None, typer.Option()] = None,
    title: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Declare an incident, optionally from alerts in the triage queue."""
    declare_incident(
        runtime(ctx),
        tenant=tenant,
        type_key=type_,
        severity=severity,
        title=title,
        alert_ids=list(alert or []),
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Incidents, newest first."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        found = repo.list_incidents(s, tenant=tenant)
    if as_json:
        print_json([_incident_json(i) for i in found])
        return
    table = Table(title="Incidents")
    for col in ("id", "tenant", "type", "severity", "status", "declared", "alerts"):
        table.add_column(col)
    for i in found:
        table.add_row(
            i.code,
            safe_text(i.tenant),
            safe_text(i.type),
            i.severity.value,
            i.status.value,
            f"{i.declared_at:%Y-%m-%d %H:%M} by {safe_text(i.declared_by)}",
            ", ".join(str(a) for a in i.alert_ids),
        )
    console.print(table)


def _incident_json(i: repo.IncidentRecord) -> dict[str, Any]:
    return {
        "id": i.id,
        "code": i.code,
        "tenant": i.tenant,
        "type": i.type,
        "title": i.title,
        "severity": i.severity.value,
        "status": i.status.value,
        "declared_at": i.declared_at,
        "declared_by": i.declared_by,
        "alerts": list(i.alert_ids),
        "contained": i.contained,
        "checklist": [
            {"item": n, "text": c.text, "done_at": c.done_at, "done_by": c.done_by}
            for n, c in enumerate(i.checklist, 1)
        ],
        "closed_at": i.closed_at,
    }


def _action_json(a: repo.ActionRecord, now: datetime) -> dict[str, Any]:
    return {
        "id": a.id,
        "action": a.action.value,
        "target": a.target.label(),
        "requested_by": a.requested_by,
        "requested_at": a.requested_at,
        "authority": a.authority.value,
        "emergency": a.emergency,
        "status": a.status.value,
        "reason": a.reason,
        "approved_by": a.approved_by,
        "approval_due_at": a.approval_due_at,
        "approval_overdue": authority.is_overdue(a.approval_due_at, a.approved_at, now),
        "before": a.before,
        "after": a.after,
        "error": a.error,
    }


@app.command("show")
def show(
    ctx: typer.Context, incident_id: int, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """An incident: type, status, containment checklist, actions and approvals owed."""
    rt = runtime(ctx)
    now = rt.now()
    with rt.store.session() as s:
        i = repo.get_incident(s, incident_id)
        done = repo.actions(s, incident_id)
    if as_json:
        data = _incident_json(i)
        data["actions"] = [_action_json(a, now) for a in done]
        print_json(data)
        return
    incident_type = rt.workspace.incident_response.types.get(i.type)
    console.print(
        f"[bold]{i.code}[/] {safe_text(i.title)} — {safe_text(i.type)}, {i.severity.value}, "
        f"{i.status.value}"
    )
    console.print(
        f"declared {i.declared_at:%Y-%m-%d %H:%M} by {safe_text(i.declared_by)}; alerts "
        + (", ".join(f"ALR-{a}" for a in i.alert_ids) or "none")
    )
    if incident_type:
        for n, step in enumerate(incident_type.playbook, 1):
            console.print(f"  playbook {n}. {safe_text(step)}")
    console.print("Contained when:")
    for n, c in enumerate(i.checklist, 1):
        mark = (
            f"[green]✓[/] {safe_text(c.done_by)} {c.done_at:%H:%M}" if c.done_at else "[yellow]☐[/]"
        )
        console.print(f"  {n}. {safe_text(c.text)} {mark}")
    for a in done:
        overdue = authority.is_overdue(a.approval_due_at, a.approved_at, now)
        flag = " [red]APPROVAL OVERDUE[/]" if overdue else ""
        console.print(
            f"  action {a.id}: {a.action.value} {safe_text(a.target.label())} — {a.status.value} "
            f"by {safe_text(a.requested_by)}{flag}"
        )


@app.command("timeline")
def timeline_(
    ctx: typer.Context, incident_id: int, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """The incident's timeline and its response times (detect, acknowledge, contain, recover)."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        entries = repo.timeline(s, incident_id)
    times = response_times(entries)
    if as_json:
        print_json(
            {
                "entries": [
                    {
                        "at": e.at,
                        "kind": e.kind.value,
                        "actor": e.actor,
                        "text": e.text,
                        "data": e.data,
                    }
                    for e in entries
                ],
                "times": {
                    k: (v.total_seconds() if v is not None else None)
                    for k, v in times.__dict__.items()
                },
            }
        )
        return
    for e in entries:
        console.print(
            f"{e.at:%Y-%m-%d %H:%M}  {e.kind.value:<13} {safe_text(e.actor):<8} {safe_text(e.text)}"
        )
    for k, v in times.__dict__.items():
        console.print(f"{k.replace('_', ' ')}: {v if v is not None else '—'}")


def _target(
    user: str | None, rule: str | None, device: str | None, assignment: str | None
) -> ActionTarget:
    return ActionTarget(user=user, rule=rule, device=device, assignment=assignment)


def _refuse(
    rt: Runtime,
    actor: Person,
    incident: repo.IncidentRecord,
    action: ResponseAction,
    target: ActionTarget,
    error: CosecError,
) -> None:
    """Record and audit a refused attempt (committed), then raise `error`."""
    now = rt.now()
    reason = error.message
    with rt.store.session() as s:
        repo.add_action(
            s,
            incident.id,
            action=action,
            target=target,
            requested_by=actor.id,
            now=now,
            authority=Authority.FORBIDDEN,
            emergency=False,
            status=repo.ActionStatus.REFUSED,
            reason=reason,
        )
        repo.add_entry(
            s,
            incident.id,
            at=now,
            kind=EntryKind.ACTION,
            actor=actor.id,
            text=f"REFUSED {action.value} {target.label()}: {reason}",
            data={"action": action.value, "status": "refused"},
        )
        _audit(
            rt,
            s,
            actor,
            "incident.action.refused",
            incident,
            after={"action": action.value, "target": target.label()},
            note=reason,
        )
    raise error


def _response_credential_missing(tenant: str) -> CredentialError:
    return CredentialError(
        f"tenant {tenant!r} has no response credential; cosec never acts with the read-only app",
        hint="Register a separate response app: `cosec tenant add … --response-client-id …`.",
    )


async def _run(
    rt: Runtime, tenant: str, action: ResponseAction, target: ActionTarget, comment: str
) -> Outcome:
    from cosec.graph import open_tenant_client  # the Graph client stack: only when acting
    from cosec.incidents.executor import execute

    with rt.store.session() as s:
        info = tenant_repo.get_tenant(s, tenant)
        try:
            cred = tenant_repo.credential(s, rt.secret_box, tenant, "response")
        except NotFoundError:
            raise _response_credential_missing(tenant) from None
    async with open_tenant_client(info, cred) as client:
        return await execute(client, action, target, comment=comment)


@app.command("act")
def act(
    ctx: typer.Context,
    incident_id: int,
    action: ResponseAction,
    user: Annotated[str | None, typer.Option(help="User UPN or id")] = None,
    rule: Annotated[str | None, typer.Option(help="Inbox rule id")] = None,
    device: Annotated[str | None, typer.Option(help="Defender machine id")] = None,
    assignment: Annotated[
        str | None, typer.Option(help="Directory role assignment id (remove_role_assignment)")
    ] = None,
    execute_: Annotated[bool, typer.Option("--execute", help="Act (default: dry run)")] = False,
) -> None:
    """Take a response action, if the authority matrix allows it (dry run by default)."""
    rt = runtime(ctx)
    actor = rt.actor()
    now = rt.now()
    target = _target(user, rule, device, assignment)
    steps = plans.plan(action, target)
    settings = rt.workspace.incident_response
    with rt.store.session() as s:
        incident = repo.get_incident(s, incident_id)
        approved = repo.approved_request(s, incident_id, action, target)
    if incident.status is IncidentStatus.CLOSED:
        raise ConfigError(f"{incident.code} is closed")
    on_call = oncall.is_on_call(rt.workspace, actor, now)
    decision = authority.decide(
        settings.authority, actor, action, incident.severity, on_call=on_call
    )
    if decision.authority is Authority.FORBIDDEN:
        _refuse(rt, actor, incident, action, target, AuthorizationError(decision.reason))
    if not execute_:
        console.print(f"[bold]Dry run[/] ({safe_text(decision.reason)}). Would call:")
        for step in steps:
            console.print(f"  {safe_text(step)}")
        needs_request = not decision.may_act_now and approved is None
        then = " (this records a request for a second approver)" if needs_request else ""
        console.print(f"Run again with --execute to act{then}.")
        return
    if not decision.may_act_now and approved is None:
        with rt.store.session() as s:
            req = repo.add_action(
                s,
                incident_id,
                action=action,
                target=target,
                requested_by=actor.id,
                now=now,
                authority=decision.authority,
                emergency=False,
                status=repo.ActionStatus.PENDING_APPROVAL,
                reason=decision.reason,
            )
            repo.add_entry(
                s,
                incident_id,
                at=now,
                kind=EntryKind.ACTION,
                actor=actor.id,
                text=f"requested {action.value} {target.label()} (needs approval)",
                data={"action": action.value, "status": req.status.value, "id": req.id},
            )
            _audit(
                rt,
                s,
                actor,
                "incident.action.request",
                incident,
                after={"action": action.value, "target": target.label(), "id": req.id},
            )
        console.print(
            f"{decision.reason}. Requested as action {req.id}: a second approver runs "
            f"`cosec incidents approve {incident_id} {req.id}`, then act again."
        )
        return
    with rt.store.session() as s:
        has_response_app = "response" in tenant_repo.get_tenant(s, incident.tenant).credentials
    if not has_response_app:
        _refuse(rt, actor, incident, action, target, _response_credential_missing(incident.tenant))
    with rt.store.session() as s:
        if approved is not None:
            record = approved
        else:
            record = repo.add_action(
                s,
                incident_id,
                action=action,
                target=target,
                requested_by=actor.id,
                now=now,
                authority=decision.authority,
                emergency=decision.emergency,
                status=repo.ActionStatus.APPROVED,
                reason=decision.reason,
            )
    error: str | None = None
    outcome: Outcome | None = None
    try:
        outcome = asyncio.run(_run(rt, incident.tenant, action, target, comment=incident.code))
    except CosecError as exc:
        error = str(exc)
    due = (
        authority.approval_due(now, settings.emergency_approval_within)
        if decision.emergency and approved is None
        else None
    )
    with rt.store.session() as s:
        done = repo.finish_action(
            s,
            record.id,
            now=rt.now(),
            before=outcome.before if outcome else None,
            after=outcome.after if outcome else None,
            error=error,
            approval_due_at=due,
        )
        status = "FAILED" if error else "executed"
        repo.add_entry(
            s,
            incident_id,
            at=rt.now(),
            kind=EntryKind.ACTION,
            actor=actor.id,
            text=f"{status} {action.value} {target.label()}"
            + (f": {error}" if error else "")
            + (" (emergency: approval owed)" if due else ""),
            data={
                "action": action.value,
                "status": done.status.value,
                "id": done.id,
                "before": done.before,
                "after": done.after,
            },
        )
        _audit(
            rt,
            s,
            actor,
            f"incident.action.{action.value}",
            incident,
            before=done.before,
            after=done.after,
            note=error or decision.reason,
        )
    if error:
        raise CosecError(f"{action.value} failed: {error}")
    console.print(f"Executed {action.value} {safe_text(target.label())} (action {done.id})")
    console.print(f"  before: {safe_text(done.before)}")
    console.print(f"  after:  {safe_text(done.after)}")
    if due:
        console.print(
            f"[yellow]Emergency action: a second approver must approve by "
            f"{due:%Y-%m-%d %H:%M}[/] (`cosec incidents approve {incident_id} {done.id}`)"
        )


@app.command("approve")
def approve(ctx: typer.Context, incident_id: int, action_id: int) -> None:
    """Second approval of a requested action, or of an emergency action already taken."""
    rt = runtime(ctx)
    actor = rt.actor()
    with rt.store.session() as s:
        incident = repo.get_incident(s, incident_id)
        record = repo.get_action(s, action_id)
        if record.incident_id != incident_id:
            raise NotFoundError(f"action {action_id} is not part of {incident.code}")
    authority.check_approver(
        actor, rt.workspace.incident_response.approver_roles, record.requested_by
    )
    with rt.store.session() as s:
        done = repo.approve(s, action_id, approver=actor.id, now=rt.now())
        repo.add_entry(
            s,
            incident_id,
            at=rt.now(),
            kind=EntryKind.APPROVAL,
            actor=actor.id,
            text=f"approved {done.action.value} {done.target.label()} "
            f"(action {done.id}, requested by {done.requested_by})",
            data={"id": done.id},
        )
        _audit(rt, s, actor, "incident.action.approve", incident, after={"id": done.id})
    console.print(f"Approved action {done.id} ({done.status.value})")


@app.command("approvals")
def approvals(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Emergency actions whose after-the-fact approval is overdue."""
    rt = runtime(ctx)
    now = rt.now()
    with rt.store.session() as s:
        overdue = repo.overdue_approvals(s, now)
    if as_json:
        print_json([_action_json(a, now) for a in overdue])
        return
    if not overdue:
        console.print("No overdue approvals.")
    for a in overdue:
        due = a.approval_due_at
        console.print(
            f"[red]INC-{a.incident_id} action {a.id}[/]: {a.action.value} "
            f"{safe_text(a.target.label())} by {safe_text(a.requested_by)}, "
            f"approval was due {due:%Y-%m-%d %H:%M}"
        )


@app.command("contain")
def contain(ctx: typer.Context, incident_id: int, item: int) -> None:
    """Check off one item of the containment checklist."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.INCIDENT_WORK)
    with rt.store.session() as s:
        i = repo.check_item(s, incident_id, item, actor=actor.id, now=rt.now())
        _audit(rt, s, actor, "incident.contain", i, after={"item": i.checklist[item - 1].text})
    left = sum(1 for c in i.checklist if c.done_at is None)
    console.print(f"{i.code}: checked off item {item}; {left} left")


def _containment_left(s: Session, incident: repo.IncidentRecord) -> list[str]:
    """What the latest collection still shows for the checked-off, confirmable items."""
    from cosec.incidents.containment import Subject, still_present
    from cosec.model.view import TenantView
    from cosec.store import alerts as alert_store
    from cosec.store.snapshots import latest_snapshot

    done = [c.text for c in incident.checklist if c.done_at is not None]
    subjects = []
    for a in (alert_store.get_alert(s, i) for i in incident.alert_ids):
        role = a.details.get("role")
        subjects.append(Subject(a.subject, str(role) if role else None))
    snap = latest_snapshot(s, incident.tenant)
    return still_present(done, subjects, TenantView.from_snapshot(snap) if snap else None)


def _status(ctx: typer.Context, incident_id: int, status: IncidentStatus, note: str) -> None:
    rt = runtime(ctx)
    actor = rt.authorize(Action.INCIDENT_WORK)
    with rt.store.session() as s:
        before = repo.get_incident(s, incident_id)
        if status is IncidentStatus.CLOSED:
            left = _containment_left(s, before)
            if left:
                raise IncidentError(
                    f"{before.code} cannot close: the latest collection still shows "
                    + "; ".join(left),
                    hint="Finish containment, run `cosec collect`, then close again.",
                )
        i = repo.set_status(s, incident_id, status, actor=actor.id, now=rt.now(), note=note)
        _audit(
            rt,
            s,
            actor,
            "incident.status",
            i,
            before={"status": before.status.value},
            after={"status": i.status.value},
            note=note,
        )
    console.print(f"{i.code} is {i.status.value}")


@app.command("status")
def status_(
    ctx: typer.Context,
    incident_id: int,
    status: IncidentStatus,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Move the incident forward: contained, eradicated, recovered, closed."""
    _status(ctx, incident_id, status, note)


@app.command("close")
def close(ctx: typer.Context, incident_id: int, note: Annotated[str, typer.Option()]) -> None:
    """Close the incident (after containment, or straight away as a false positive)."""
    _status(ctx, incident_id, IncidentStatus.CLOSED, note)


@app.command("note")
def note(ctx: typer.Context, incident_id: int, text: str) -> None:
    """Add a note to the timeline."""
    rt = runtime(ctx)
    actor = rt.actor()
    with rt.store.session() as s:
        i = repo.get_incident(s, incident_id)
        repo.add_entry(s, incident_id, at=rt.now(), kind=EntryKind.NOTE, actor=actor.id, text=text)
        _audit(rt, s, actor, "incident.note", i, note=text)
    console.print(f"{i.code}: note added")


@app.command("inform")
def inform(
    ctx: typer.Context,
    incident_id: int,
    who: Annotated[str, typer.Option(help="Person id or name informed, e.g. sam")],
    channel: Annotated[str, typer.Option(help="phone, email, meeting, …")] = "phone",
    summary: Annotated[str, typer.Option()] = "",
    at: Annotated[
        str | None, typer.Option(help="When it happened, ISO 8601 (default: now)")
    ] = None,
) -> None:
    """Log a communication: who informed whom (e.g. leadership), how and when."""
    rt = runtime(ctx)
    actor = rt.actor()
    now = rt.now()
    when = parse_instant(at) if at else now
    if when > now:
        raise ConfigError("a communication cannot be logged in the future")
    known = {p.id for p in rt.workspace.people}
    label = (
        f"{who} ({', '.join(r.value for r in rt.workspace.person(who).roles)})"
        if (who in known)
        else who
    )
    with rt.store.session() as s:
        i = repo.get_incident(s, incident_id)
        repo.add_entry(
            s,
            incident_id,
            at=when,
            kind=EntryKind.COMMUNICATION,
            actor=actor.id,
            text=f"informed {label} by {channel}" + (f": {summary}" if summary else ""),
            data={"to": who, "channel": channel, "logged_at": now.isoformat()},
        )
        _audit(
            rt,
            s,
            actor,
            "incident.inform",
            i,
            after={"to": who, "channel": channel, "at": when.isoformat()},
            note=summary,
        )
    console.print(
        f"{i.code}: logged that {actor.id} informed {safe_text(who)} by {safe_text(channel)}"
    )


def _hours(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 2) if value is not None else None


@app.command("times")
def times_(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t")] = None,
    since: Annotated[str | None, typer.Option(help="Declared on or after (ISO 8601)")] = None,
    until: Annotated[str | None, typer.Option(help="Declared before (ISO 8601)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Mean time to detect, acknowledge, contain and recover over incidents (hours)."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        found = repo.list_incidents(
            s,
            tenant=tenant,
            since=parse_instant(since) if since else None,
            until=parse_instant(until) if until else None,
        )
        per = [repo.response_times(s, i.id) for i in found]
    means = {
        "incidents": len(found),
        "mttd_hours": _hours(mean(t.time_to_detect for t in per)),
        "mtta_hours": _hours(mean(t.time_to_acknowledge for t in per)),
        "mttc_hours": _hours(mean(t.time_to_contain for t in per)),
        "mttr_hours": _hours(mean(t.time_to_recover for t in per)),
    }
    if as_json:
        print_json(means)
        return
    for key, value in means.items():
        console.print(f"{key}: {'—' if value is None else value}")


@app.command("oncall")
def oncall_(ctx: typer.Context) -> None:
    """Who is on call now, per party (business hours or after hours)."""
    rt = runtime(ctx)
    now = rt.now()
    hours = oncall.in_business_hours(rt.workspace.organisation, now)
    console.print(f"{now:%Y-%m-%d %H:%M} UTC — {'business hours' if hours else 'after hours'}")
    for party, people in oncall.on_call(rt.workspace, now).items():
        console.print(f"  {party}: {', '.join(p.id for p in people) or 'nobody'}")
