"""Read one tenant's facts for a period from the store and compute its metrics.

This is the edge between the store and the pure metrics core: snapshots (the last one of
the period), event streams, the triage queue, recorded restore tests, the exception
register, change records and drift, and the responsibility map.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from cosec.config import Workspace
from cosec.detect.identity import HIGH_RISK
from cosec.detect.mail import REPORTED_PHISH
from cosec.detect.sla import paused_time
from cosec.detect.triage import QUEUE_STATES
from cosec.governance.changes import ChangeState
from cosec.governance.raci import area_owners
from cosec.metrics.compute import HIGH_RISK_SIGN_IN, USER_REPORTED_PHISH, compute_metrics
from cosec.metrics.facts import (
    COSEC_INCIDENTS,
    AlertFact,
    ChangeStats,
    ExceptionStats,
    IncidentFact,
    MetricInputs,
    Missing,
    SimulationFact,
)
from cosec.metrics.from_events import alert_facts, incident_facts
from cosec.metrics.from_snapshot import (
    device_facts,
    impersonation_facts,
    secure_scores,
    user_facts,
    vulnerability_history,
)
from cosec.metrics.periods import Period
from cosec.metrics.values import MetricValue
from cosec.model.derived.incident_times import milestones
from cosec.model.derived.population import people_tiers
from cosec.model.events import parse_alert, parse_incident
from cosec.model.parse import parse_datetime
from cosec.model.snapshot import Snapshot
from cosec.model.view import TenantView
from cosec.store import alerts as alert_store
from cosec.store import changes as change_store
from cosec.store import exceptions as exception_store
from cosec.store import incidents as incident_store
from cosec.store.events import iter_events
from cosec.store.evidence import restore_tests
from cosec.store.metrics import save_metric_values
from cosec.store.snapshots import latest_snapshot, list_snapshots, load_snapshot

# Alerts are re-read from this far before the period so late updates are not lost.
ALERT_LOOKBACK = timedelta(days=30)
# Vulnerability lifetimes are followed across at most this many snapshots.
VULN_SAMPLES = 12
VULN_LOOKBACK = timedelta(days=90)
RULE_CATEGORIES = {HIGH_RISK.id: HIGH_RISK_SIGN_IN, REPORTED_PHISH.id: USER_REPORTED_PHISH}
# Per-user simulation events meaning the message arrived (both spellings occur in Microsoft's
# documentation: per-user events and the report overview).
DELIVERY_EVENTS = {"SuccessfullyDeliveredEmail", "SuccessfullyDeliveredMail"}


def period_snapshot(
    session: Session, tenant: str, period: Period, now: datetime
) -> Snapshot | None:
    """The last snapshot taken inside the period (up to now), or None."""
    snap = latest_snapshot(
        session, tenant, at_or_before=min(period.end, now) - timedelta(microseconds=1)
    )
    return snap if snap is not None and snap.taken_at >= period.start else None


ViewCache = dict[int, TenantView]


def _vulnerability_views(
    session: Session, tenant: str, period: Period, cache: ViewCache
) -> list[TenantView]:
    infos = [
        i
        for i in list_snapshots(session, tenant)
        if period.start - VULN_LOOKBACK <= i.taken_at < period.end
    ]
    if len(infos) > VULN_SAMPLES:
        step = (len(infos) - 1) / (VULN_SAMPLES - 1)
        infos = [infos[round(i * step)] for i in range(VULN_SAMPLES)]
    for i in infos:
        if i.id not in cache:
            cache[i.id] = TenantView.from_snapshot(load_snapshot(session, i.id))
    return [cache[i.id] for i in infos]


def _queue_alert(a: alert_store.AlertRecord, period: Period) -> AlertFact:
    """An alert of the triage queue, its SLA clock as the queue keeps it (`AlertRecord.sla`):
    from the event to the decision, recorded pauses excluded."""
    decided = a.closed_at if a.state not in QUEUE_STATES else None
    return AlertFact(
        id=f"cosec-{a.id}",
        category=RULE_CATEGORIES.get(a.rule_id, a.area),
        severity=a.severity.value,
        activity_at=a.first_seen_at,
        created_at=a.detected_at,
        triaged_at=decided,
        resolved_at=a.closed_at,
        triage_sla=a.sla_window,
        paused=paused_time(a.pauses, decided or period.end),
    )


def _queue_alerts(session: Session, tenant: str, period: Period) -> list[AlertFact]:
    records = alert_store.list_alerts(
        session, tenant=tenant, since=period.start - ALERT_LOOKBACK, until=period.end
    )
    return [_queue_alert(a, period) for a in records if a.state.value != "suppressed"]


def _declared_incidents(session: Session, tenant: str, period: Period) -> tuple[IncidentFact, ...]:
    """Incidents declared in cosec, with the milestones `cosec incidents times` uses
    (`cosec.model.derived.incident_times`): first event, first detection, recovery."""
    out = []
    for i in incident_store.list_incidents(
        session, tenant=tenant, since=period.start - ALERT_LOOKBACK, until=period.end
    ):
        times = milestones(incident_store.timeline(session, i.id))
        out.append(
            IncidentFact(
                f"cosec-{i.id}",
                i.severity.value,
                times.event_at,
                times.detected_at or i.declared_at,
                times.recovered_at or i.closed_at,
                source=COSEC_INCIDENTS,
            )
        )
    return tuple(out)


@dataclass
class _SimulationTally:
    name: str
    completed_at: datetime
    delivered: int = 0
    reported: int = 0
    compromised: int = 0


def _simulations(session: Session, tenant: str, period: Period) -> tuple[SimulationFact, ...]:
    """Per-simulation totals from the per-user results the collector stores."""
    tallies: dict[str, _SimulationTally] = {}
    events = iter_events(
        session,
        tenant,
        "attackSimulationResults",
        start=period.start - VULN_LOOKBACK,
        end=period.end,
    )
    for e in events:
        sim, row = e.raw.get("simulation") or {}, e.raw.get("result") or {}
        done = parse_datetime(sim.get("completionDateTime"))
        if done is None:
            continue  # still running: counted once it completes
        t = tallies.setdefault(
            str(sim.get("id")), _SimulationTally(str(sim.get("displayName") or sim.get("id")), done)
        )
        names = {str(x.get("eventName", "")) for x in row.get("simulationEvents") or []}
        reported = bool(row.get("reportedPhishDateTime")) or "ReportedEmail" in names
        compromised = bool(row.get("isCompromised"))
        if not (names & DELIVERY_EVENTS or reported or compromised):
            continue  # never reached the mailbox: not in the denominator
        t.delivered += 1
        t.reported += int(reported)
        t.compromised += int(compromised)
    return tuple(
        SimulationFact(sid, t.name, t.completed_at, t.delivered, t.reported, t.compromised)
        for sid, t in tallies.items()
    )


def gather_inputs(
    session: Session,
    workspace: Workspace,
    tenant: str,
    period: Period,
    *,
    now: datetime,
    cache: ViewCache | None = None,
) -> MetricInputs:
    """Every fact of `tenant` for `period`. `cache` (snapshot id → view) lets callers
    gathering several periods load each snapshot once."""
    cache = {} if cache is None else cache
    inputs = MetricInputs(
        tenant=tenant,
        period=period,
        tier_requirements={n: frozenset(t.requires) for n, t in workspace.risk_tiers.items()},
        vulnerability_sla={s.value: d for s, d in workspace.sla.vulnerability_remediation.items()},
        owners=area_owners(workspace),
    )
    snap = period_snapshot(session, tenant, period, now)
    if snap is not None:
        view = TenantView.from_snapshot(snap)
        glass = workspace.tenant_settings(tenant).break_glass_accounts
        inputs.users = user_facts(view, workspace.risk_tiers, glass)
        inputs.devices = device_facts(view, workspace.patch_baseline)
        inputs.secure_scores = secure_scores(view)
        inputs.impersonation, inputs.antiphish_last_review = impersonation_facts(
            view, inputs.users, people_tiers(workspace.risk_tiers)
        )
        inputs.vulnerabilities = vulnerability_history(
            _vulnerability_views(session, tenant, period, cache)
        )
    else:
        gone = Missing(f"no snapshot of {tenant} was taken in {period.label}")
        inputs.users = inputs.devices = inputs.secure_scores = inputs.impersonation = gone
        inputs.antiphish_last_review = inputs.vulnerabilities = gone
    sla = {s.value: d for s, d in workspace.sla.alert_triage.items()}
    queued = _queue_alerts(session, tenant, period)
    graph_alerts = [
        parse_alert(e.raw)
        for e in iter_events(
            session, tenant, "alerts", start=period.start - ALERT_LOOKBACK, end=period.end
        )
    ]
    inputs.alerts = tuple(queued) if queued else alert_facts(graph_alerts, sla)
    graph_incidents = [
        parse_incident(e.raw)
        for e in iter_events(
            session, tenant, "incidents", start=period.start - ALERT_LOOKBACK, end=period.end
        )
    ]
    declared = _declared_incidents(session, tenant, period)
    inputs.incidents = declared if declared else incident_facts(graph_incidents, graph_alerts)
    inputs.simulations = _simulations(session, tenant, period)
    inputs.restore_tests = tuple(restore_tests(session, tenant, period.start, period.end))
    stats = exception_store.register_stats(
        session, tenant, period.start, period.end, min(period.end, now), policy=workspace.exceptions
    )
    inputs.exceptions = ExceptionStats(
        active=stats.valid,
        expiring_soon=stats.expiring_soon,
        awaiting_decision=stats.pending,
        expired_in_period=stats.expired_in_period,
        granted_in_period=stats.approved_in_period,
    )
    drift = change_store.drift_counts(session, tenant, period.start, period.end)
    approved = [
        c
        for c in change_store.list_changes(session, tenant=tenant)
        if c.approved_at is not None
        and period.contains(c.approved_at)
        and c.state in (ChangeState.APPROVED, ChangeState.CLOSED)
    ]
    inputs.changes = ChangeStats(
        approved_changes=len(approved),
        drift_detected=drift.detected,
        drift_unapproved=drift.detected - drift.accepted,
    )
    return inputs


def compute_period(
    session: Session,
    workspace: Workspace,
    tenant: str,
    period: Period,
    *,
    now: datetime,
    cache: ViewCache | None = None,
) -> list[MetricValue]:
    """Compute and store every metric of `tenant` for `period`."""
    inputs = gather_inputs(session, workspace, tenant, period, now=now, cache=cache)
    values = compute_metrics(inputs, dict(workspace.metric_targets))
    save_metric_values(session, tenant, values, computed_at=now)
    return values


def compute_history(
    session: Session,
    workspace: Workspace,
    tenant: str,
    period: Period,
    count: int,
    *,
    now: datetime,
    cache: ViewCache | None = None,
) -> list[MetricValue]:
    """Metrics of `period` and the `count - 1` periods before it (for trends)."""
    cache = {} if cache is None else cache
    out: list[MetricValue] = []
    for p in period.history(count):
        out += compute_period(session, workspace, tenant, p, now=now, cache=cache)
    return out
