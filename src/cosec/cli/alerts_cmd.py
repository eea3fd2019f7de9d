"""`cosec detect` and `cosec alerts list|show|assign|triage|dismiss|resolve|escalate|
snooze|pause|resume`: detection over newly collected events and the triage queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

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
from cosec.cli.incidents_cmd import declare_incident
from cosec.config import Severity, Workspace, parse_duration
from cosec.detect.triage import QUEUE_STATES, AlertState, TriageAction
from cosec.errors import ConfigError
from cosec.governance.changes import ChangeState
from cosec.governance.raci import area_owners
from cosec.incidents.authority import check_declare
from cosec.incidents.types import incident_type_for
from cosec.model.governance import ControlArea, Owner
from cosec.model.snapshot import Snapshot
from cosec.runtime import Runtime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cosec.detect.catalog import Evaluation
    from cosec.detect.rules import ChangeWindow, DriftItem, EventSet
    from cosec.model import events as ev
    from cosec.store import alerts as repo
    from cosec.store import audit, changes, exceptions, snapshots
    from cosec.store import events as event_store
    from cosec.store import tenants as tenant_repo
else:
    ev = LazyModule("cosec.model.events")
    repo = LazyModule("cosec.store.alerts")
    audit = LazyModule("cosec.store.audit")
    changes = LazyModule("cosec.store.changes")
    exceptions = LazyModule("cosec.store.exceptions")
    snapshots = LazyModule("cosec.store.snapshots")
    event_store = LazyModule("cosec.store.events")
    tenant_repo = LazyModule("cosec.store.tenants")

app = typer.Typer(help="The triage queue: alerts raised by detections.", no_args_is_help=True)

DETECT_STREAMS = ("signIns", "directoryAudits", "riskDetections", "alerts", "messageRuleChanges")
HISTORY_STREAMS = ("signIns", "riskDetections")
_TICK = timedelta(microseconds=1)
T = TypeVar("T")


@dataclass(frozen=True)
class DetectionReport:
    tenant: str
    evaluation: Evaluation
    applied: repo.ApplyResult
    windows: dict[str, tuple[datetime | None, datetime]]
    breached: tuple[int, ...]


def _parsed(
    session: Session, tenant: str, stream: str, start: datetime | None, end: datetime
) -> list[ev.Event]:
    return [
        ev.parse_event(stream, e.raw)
        for e in event_store.iter_events(session, tenant, stream, start=start, end=end)
    ]


def _event_set(parsed: dict[str, list[ev.Event]]) -> EventSet:
    from cosec.detect.rules import EventSet

    def of(stream: str, kind: type[T]) -> list[T]:
        return [e for e in parsed.get(stream, []) if isinstance(e, kind)]

    return EventSet(
        sign_ins=of("signIns", ev.SignIn),
        directory_audits=of("directoryAudits", ev.DirectoryAudit),
        risk_detections=of("riskDetections", ev.RiskDetection),
        alerts=of("alerts", ev.Alert),
        rule_changes=of("messageRuleChanges", ev.MessageRuleChange),
    )


def _snapshot_fields(snap: Snapshot | None) -> dict[str, Any]:
    if snap is None:
        return {}
    out: dict[str, Any] = {"observed_at": snap.taken_at}
    if snap.available("users"):
        out["user_principal_names"] = {
            str(u["id"]): str(u.get("userPrincipalName") or u["id"])
            for u in snap.items("users")
            if u.get("id")
        }
    if snap.available("domains"):
        out["internal_domains"] = frozenset(
            str(d["id"]).lower() for d in snap.items("domains") if d.get("id")
        )
    if snap.available("mailboxes"):
        out["mailboxes"] = snap.items("mailboxes")
    if snap.available("messageRules"):
        out["message_rules"] = {
            user: [ev.parse_message_rule(r) for r in rules]
            for user, rules in snap.children("messageRules").items()
        }
    if snap.available("riskyUsers"):
        out["risky_users"] = snap.items("riskyUsers")
    return out


def _change_windows(session: Session, tenant: str) -> list[ChangeWindow]:
    from cosec.detect.rules import ChangeWindow

    windows = []
    for c in changes.list_changes(session, tenant=tenant, state=ChangeState.APPROVED):
        ids = {o for key in c.objects for o in (key, key.split("/", 1)[-1])}
        windows.append(ChangeWindow(c.id, frozenset(ids), c.window_start, c.window_end))
    return windows


def _open_drift(session: Session, tenant: str) -> list[DriftItem] | None:
    """Open drift records, or None when the tenant has no approved baseline yet."""
    from cosec.detect.rules import DriftItem

    if changes.baseline_since(session, tenant) is None:
        return None
    return [
        DriftItem(d.id, d.key, d.describe(), d.detected_at, d.acted_at, d.actor)
        for d in changes.list_drift(session, tenant=tenant, state="open")
    ]


def triage_owner(workspace: Workspace) -> Owner | None:
    """Who triages alerts: the monitor duty of the incident-response area."""
    owners = area_owners(workspace).get(ControlArea.INCIDENT_RESPONSE)
    return owners.monitor if owners else None


def run_detection(rt: Runtime, tenant: str) -> DetectionReport:
    """Evaluate the rules over events collected since the last run, in one transaction."""
    from cosec.detect.catalog import CATALOG, evaluate
    from cosec.detect.rules import DetectionInput

    now = rt.now()
    ws = rt.workspace
    lookback = ws.incident_response.history_window
    with rt.store.session() as s:
        tenant_repo.get_tenant(s, tenant)
        repo.lock_queue(s, tenant)
        windows: dict[str, tuple[datetime | None, datetime]] = {}
        new: dict[str, list[ev.Event]] = {}
        old: dict[str, list[ev.Event]] = {}
        for stream in DETECT_STREAMS:
            complete = event_store.watermark(s, tenant, stream)
            if complete is None:
                continue
            # events stamped exactly at the watermark are stored too (derived streams such
            # as messageRuleChanges carry the snapshot time): read up to and including it
            mark = complete + _TICK
            start = repo.cursor(s, tenant, stream)
            windows[stream] = (start, mark)
            new[stream] = _parsed(s, tenant, stream, start, mark)
            if stream in HISTORY_STREAMS and start is not None:
                old[stream] = _parsed(s, tenant, stream, start - lookback, start)
        data = DetectionInput(
            tenant=tenant,
            now=now,
            events=_event_set(new),
            history=_event_set(old),
            streams=frozenset(windows),
            approved_changes=_change_windows(s, tenant),
            drift=_open_drift(s, tenant),
            **_snapshot_fields(snapshots.latest_snapshot(s, tenant, at_or_before=now)),
        )
        evaluation = evaluate(data)
        applied = repo.apply_hits(
            s,
            tenant=tenant,
            hits=evaluation.hits,
            grants=exceptions.valid_grants(s, tenant, now),
            now=now,
            sla_windows=ws.sla.alert_triage,
            owner=triage_owner(ws),
            base_ids={r.id: r.base_id for r in CATALOG},
        )
        breached = repo.record_breaches(s, now=now, tenant=tenant)
        for stream, (_, mark) in windows.items():
            repo.set_cursor(s, tenant, stream, mark, now=now)
        audit.append(
            s,
            at=now,
            actor=repo.SYSTEM,
            party="system",
            action="detect.run",
            subject=tenant,
            tenant=tenant,
            after={
                "created": list(applied.created),
                "updated": list(applied.updated),
                "reopened": list(applied.reopened),
                "suppressed": list(applied.suppressed),
                "skipped": evaluation.skipped,
                "breached": breached,
            },
        )
    return DetectionReport(tenant, evaluation, applied, windows, tuple(breached))


def _tenants(rt: Runtime, tenant: list[str] | None) -> list[str]:
    if tenant:
        return tenant
    with rt.store.session() as s:
        return [t.name for t in tenant_repo.list_tenants(s)]


def detect(
    ctx: typer.Context,
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", "-t", help="Tenant (repeatable; default all)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the detection rules over newly collected events and update the triage queue."""
    rt = runtime(ctx)
    reports = [run_detection(rt, t) for t in _tenants(rt, tenant)]
    if as_json:
        print_json(
            [
                {
                    "tenant": r.tenant,
                    "created": list(r.applied.created),
                    "updated": list(r.applied.updated),
                    "reopened": list(r.applied.reopened),
                    "suppressed": list(r.applied.suppressed),
                    "skipped": r.evaluation.skipped,
                    "sla_breached": list(r.breached),
                }
                for r in reports
            ]
        )
        return
    for r in reports:
        a = r.applied
        console.print(
            f"{safe_text(r.tenant)}: {len(r.evaluation.ran)} rules ran, "
            f"{len(a.created)} new alerts, "
            f"{len(a.updated)} updated, {len(a.reopened)} re-opened, "
            f"{len(a.suppressed)} suppressed by exceptions, {len(r.breached)} SLA breaches"
        )
        for rule_id, why in sorted(r.evaluation.skipped.items()):
            console.print(f"  [yellow]{safe_text(rule_id)} not run[/]: {safe_text(why)}")


def _sla_text(a: repo.AlertRecord, now: datetime) -> str:
    if a.state not in QUEUE_STATES:
        return "breached" if a.sla_breached_at else "met"
    status = a.sla(now)
    if status.breached:
        return f"[red]breached {_duration(-status.remaining)} ago[/]"
    paused = " (paused)" if status.paused else ""
    return f"{_duration(status.remaining)} left{paused}"


def _duration(d: timedelta) -> str:
    minutes = int(d.total_seconds() // 60)
    if abs(minutes) >= 1440:
        return f"{minutes / 1440:.1f}d"
    return f"{minutes // 60}h{minutes % 60:02d}m"


def _alert_json(a: repo.AlertRecord, now: datetime) -> dict[str, Any]:
    status = a.sla(now)
    return {
        "id": a.id,
        "tenant": a.tenant,
        "rule": a.rule_id,
        "title": a.title,
        "severity": a.severity.value,
        "subject": a.subject,
        "state": a.state.value,
        "first_seen_at": a.first_seen_at,
        "last_seen_at": a.last_seen_at,
        "detected_at": a.detected_at,
        "occurrences": a.occurrences,
        "owner": {"party": a.owner_party, "role": a.owner_role, "assignee": a.assignee},
        "sla": {
            "due_at": status.due_at,
            "breached": status.breached,
            "breached_at": a.sla_breached_at,
            "paused": status.paused,
        },
        "snoozed_until": a.snoozed_until,
        "triage_started": {"at": a.triage_started_at, "by": a.triage_started_by},
        "closed": {"at": a.closed_at, "by": a.closed_by, "reason": a.close_reason},
        "suppressed_by": a.suppressed_by,
        "incident_id": a.incident_id,
        "evidence": a.evidence,
        "details": a.details,
    }


@app.command("list")
def list_(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t")] = None,
    state: Annotated[list[AlertState] | None, typer.Option(help="Filter by state")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include closed and snoozed alerts")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The triage queue (new and triaging alerts, snoozed ones hidden) or, with --all, all."""
    rt = runtime(ctx)
    now = rt.now()
    states = state or (None if all_ else sorted(QUEUE_STATES))
    with rt.store.session() as s:
        found = repo.list_alerts(s, tenant=tenant, states=states)
    if not all_:
        found = [a for a in found if not a.snoozed(now)]
    if as_json:
        print_json([_alert_json(a, now) for a in found])
        return
    table = Table(title="Alerts")
    for col in ("id", "tenant", "severity", "rule", "subject", "state", "owner", "SLA"):
        table.add_column(col)
    for a in found:
        owner = a.assignee or (f"{a.owner_role} ({a.owner_party})" if a.owner_role else "unowned")
        table.add_row(
            str(a.id),
            safe_text(a.tenant),
            a.severity.value,
            safe_text(a.rule_id),
            safe_text(a.subject),
            a.state.value,
            safe_text(owner),
            _sla_text(a, now),
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context, alert_id: int, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """One alert with its evidence, SLA clock and history."""
    rt = runtime(ctx)
    now = rt.now()
    with rt.store.session() as s:
        a = repo.get_alert(s, alert_id)
        steps = repo.history(s, alert_id)
    if as_json:
        data = _alert_json(a, now)
        data["history"] = [
            {"at": h.at, "actor": h.actor, "action": h.action, "to": h.to_state, "note": h.note}
            for h in steps
        ]
        print_json(data)
        return
    console.print(f"[bold]{a.code}[/] {safe_text(a.title)} — {safe_text(a.subject)}")
    console.print(
        f"rule {safe_text(a.rule_id)}, severity {a.severity.value}, state {a.state.value}"
    )
    console.print(
        f"first event {a.first_seen_at:%Y-%m-%d %H:%M}, detected {a.detected_at:%Y-%m-%d %H:%M}"
    )
    console.print(f"SLA: {_sla_text(a, now)} (window {_duration(a.sla_window)})")
    for e in a.evidence:
        console.print(
            f"  evidence {safe_text(e['source'])}/{safe_text(e['id'])}: {safe_text(e['summary'])}"
        )
    for h in steps:
        console.print(
            f"  {h.at:%Y-%m-%d %H:%M} {safe_text(h.actor)} {h.action} → {h.to_state}"
            f" {safe_text(h.note)}"
        )


def _audit(
    rt: Runtime, s: Session, actor: Any, action: str, a: repo.AlertRecord, **kw: Any
) -> None:
    record_audit(rt, s, actor, action, subject=a.code, tenant=a.tenant, **kw)


def _step(
    ctx: typer.Context, alert_id: int, action: TriageAction, reason: str = ""
) -> repo.AlertRecord:
    rt = runtime(ctx)
    actor = rt.authorize(Action.ALERT_TRIAGE)
    with rt.store.session() as s:
        before = repo.get_alert(s, alert_id)
        after = repo.triage(s, alert_id, action, actor=actor.id, now=rt.now(), reason=reason)
        _audit(
            rt,
            s,
            actor,
            f"alert.{action.value}",
            after,
            before={"state": before.state.value},
            after={"state": after.state.value},
            note=reason,
        )
    console.print(f"{after.code} is {after.state.value}")
    return after


@app.command("triage")
def triage(ctx: typer.Context, alert_id: int) -> None:
    """Start triaging an alert (stops the report-to-triage clock)."""
    _step(ctx, alert_id, TriageAction.START)


@app.command("dismiss")
def dismiss(
    ctx: typer.Context,
    alert_id: int,
    reason: Annotated[str, typer.Option(help="Why this is not a threat")],
) -> None:
    """Dismiss an alert with a reason (false positive, expected activity, …)."""
    _step(ctx, alert_id, TriageAction.DISMISS, reason)


@app.command("resolve")
def resolve(
    ctx: typer.Context, alert_id: int, reason: Annotated[str, typer.Option(help="What was done")]
) -> None:
    """Resolve an alert without an incident (handled during triage)."""
    _step(ctx, alert_id, TriageAction.RESOLVE, reason)


@app.command("assign")
def assign(ctx: typer.Context, alert_id: int, person: str) -> None:
    """Assign an alert to a person of the workspace."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.ALERT_TRIAGE)
    assignee = rt.workspace.person(person)
    with rt.store.session() as s:
        a = repo.assign(s, alert_id, assignee=assignee.id, actor=actor.id, now=rt.now())
        _audit(rt, s, actor, "alert.assign", a, after={"assignee": assignee.id})
    console.print(f"{a.code} assigned to {assignee.id}")


@app.command("snooze")
def snooze(
    ctx: typer.Context,
    alert_id: int,
    for_: Annotated[str, typer.Option("--for", help="How long, e.g. 4h or 2d")],
    reason: Annotated[str, typer.Option()],
) -> None:
    """Hide an alert from the queue for a while; it returns by itself (the SLA keeps running)."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.ALERT_TRIAGE)
    try:
        length = parse_duration(for_)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    now = rt.now()
    until = now + length
    with rt.store.session() as s:
        a = repo.snooze(
            s,
            alert_id,
            until=until,
            actor=actor.id,
            now=now,
            limit=rt.workspace.incident_response.snooze_max,
            reason=reason,
        )
        _audit(rt, s, actor, "alert.snooze", a, after={"until": until.isoformat()}, note=reason)
    console.print(f"{a.code} snoozed until {a.snoozed_until:%Y-%m-%d %H:%M}")


@app.command("pause")
def pause(
    ctx: typer.Context,
    alert_id: int,
    reason: Annotated[
        str, typer.Option(help="waiting_on_client, waiting_on_vendor or awaiting_information")
    ] = "waiting_on_client",
) -> None:
    """Pause the alert's SLA clock for an explicit reason."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.ALERT_TRIAGE)
    with rt.store.session() as s:
        a = repo.pause_sla(s, alert_id, reason=reason, actor=actor.id, now=rt.now())
        _audit(rt, s, actor, "alert.pause", a, note=reason)
    console.print(f"{a.code}: SLA clock paused ({safe_text(reason)})")


@app.command("resume")
def resume(ctx: typer.Context, alert_id: int) -> None:
    """Resume a paused SLA clock."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.ALERT_TRIAGE)
    with rt.store.session() as s:
        a = repo.resume_sla(s, alert_id, actor=actor.id, now=rt.now())
        _audit(rt, s, actor, "alert.resume", a)
    console.print(f"{a.code}: SLA clock running, due {a.sla(rt.now()).due_at:%Y-%m-%d %H:%M}")


@app.command("escalate")
def escalate(
    ctx: typer.Context,
    alert_ids: Annotated[list[int], typer.Argument(help="Alert ids (the first picks the type)")],
    type_: Annotated[str | None, typer.Option("--type", help="Incident type")] = None,
    severity: Annotated[Severity | None, typer.Option()] = None,
    title: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Declare an incident from alerts (only roles allowed to declare)."""
    rt = runtime(ctx)
    settings = rt.workspace.incident_response
    check_declare(rt.actor(), settings.declare_roles)
    with rt.store.session() as s:
        found = [repo.get_alert(s, a) for a in alert_ids]
    chosen = type_ or incident_type_for(settings, [a.rule_id for a in found])
    if chosen is None:
        rules = ", ".join(sorted({a.rule_id for a in found}))
        raise ConfigError(f"no incident type lists {rules}; pass --type")
    declare_incident(
        rt,
        tenant=found[0].tenant,
        type_key=chosen,
        severity=severity,
        title=title,
        alert_ids=alert_ids,
    )


def register(root: typer.Typer) -> None:
    root.command("detect")(detect)
    app.command("run")(detect)
