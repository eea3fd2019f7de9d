"""The review API the CLI, the jobs and the demo call: explicit arguments, paths back.

paths = write_review_files(store, workspace, "main", "monthly", parse_period("2026-10"),
                           Path("out"), now=clock.now())
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cosec.config import LOGO_TYPES, Workspace
from cosec.errors import ConfigError
from cosec.governance.raci import area_owners, build_map
from cosec.governance.raci_render import render as render_map
from cosec.governance.reconcile import exposed_principals
from cosec.metrics.definitions import definition
from cosec.metrics.facts import Missing
from cosec.metrics.periods import Period, PeriodKind
from cosec.model.governance import ControlArea, Duty
from cosec.model.view import TenantView
from cosec.reports.activity import decisions, incident_summaries, person_label
from cosec.reports.content import ChangeLine, ExceptionRow, FindingRow, Review
from cosec.reports.findings import assessed_snapshot, period_findings
from cosec.reports.freshness import freshness
from cosec.reports.gather import (
    ViewCache,
    compute_history,
    compute_period,
    gather_inputs,
)
from cosec.reports.names import Directory, build_directory
from cosec.reports.pack import build_pack, json_file, referenced_resources
from cosec.reports.render import FORMATS, render_html, render_pdf, review_filename, write_review
from cosec.reports.review import build_review
from cosec.store import changes as change_store
from cosec.store import exceptions as exception_store
from cosec.store.engine import Store
from cosec.store.evidence import load_or_create_signing_key, restore_tests
from cosec.store.metrics import reviews
from cosec.store.snapshots import latest_snapshot, load_snapshot, raw_blob

# Periods of history each review shows (current included).
HISTORY = {"monthly": 3, "quarterly": 2}
PERIOD_KIND = {"monthly": PeriodKind.MONTH, "quarterly": PeriodKind.QUARTER}


def check_period(kind: str, period: Period) -> None:
    if kind not in PERIOD_KIND:
        raise ConfigError(f"review kind must be monthly or quarterly, got {kind!r}")
    if period.kind is not PERIOD_KIND[kind]:
        example = "2026-10" if kind == "monthly" else "2026-Q3"
        raise ConfigError(f"a {kind} review needs a {PERIOD_KIND[kind].value} such as {example}")


def _exceptions(
    session: Session, workspace: Workspace, tenant: str, now: datetime
) -> list[ExceptionRow]:
    return [
        ExceptionRow(
            id=r.id,
            control_id=r.control_id,
            state=r.state_at(now).value,
            expires_at=r.expires_at,
            risk_owner=person_label(workspace, r.risk_owner) if r.risk_owner else None,
            justification=r.justification,
        )
        for r in exception_store.list_records(session, tenant=tenant)
    ]


def change_lines(
    session: Session, tenant: str, period: Period, names: Directory | None = None
) -> list[ChangeLine]:
    """Approved changes and unapproved drift of the period, for the monthly review (ids
    named through `names` when given)."""
    named = names.humanise if names is not None else str
    lines = [
        ChangeLine(c.approved_at, True, named(c.title), c.approver or "")
        for c in change_store.list_changes(session, tenant=tenant)
        if c.approved_at is not None and period.contains(c.approved_at)
    ]
    lines += [
        ChangeLine(d.detected_at, False, named(d.describe()), named(d.actor or "unknown"))
        for d in change_store.list_drift(session, tenant=tenant)
        if period.contains(d.detected_at)
    ]
    return lines


def prepare_review(
    session: Session,
    workspace: Workspace,
    tenant: str,
    kind: str,
    period: Period,
    *,
    now: datetime,
    findings: Sequence[FindingRow] | Missing | None = None,
    previous_findings: Sequence[FindingRow] = (),
) -> Review:
    """Compute (and store) the metrics the review needs and assemble it.

    Findings default to the tenant's stored assessment runs (`period_findings`).
    """
    check_period(kind, period)
    if findings is None:
        findings, previous_findings = period_findings(session, tenant, period)
    cache: ViewCache = {}
    history = compute_history(
        session, workspace, tenant, period, HISTORY[kind], now=now, cache=cache
    )
    inputs = gather_inputs(session, workspace, tenant, period, now=now, cache=cache)
    settings = workspace.tenant_settings(tenant)
    as_of = min(now, period.end)
    snap = latest_snapshot(session, tenant, at_or_before=as_of - timedelta(microseconds=1))
    view = TenantView.from_snapshot(snap) if snap is not None else None
    names = (
        build_directory(view, settings.break_glass_accounts) if view is not None else Directory()
    )
    exposed = exposed_principals(snap) if snap is not None else set()
    owners = area_owners(workspace).get(ControlArea.IDENTITY)
    owner = owners.for_duty(Duty.CONFIGURE) if owners else None
    return build_review(
        kind,
        tenant=tenant,
        tenant_name=settings.display_name or tenant,
        organisation=workspace.organisation.name,
        partner=workspace.partner.name if workspace.partner else "Security partner",
        period=period,
        generated_at=now,
        history=history,
        findings=findings,
        previous_findings=previous_findings,
        exceptions=_exceptions(session, workspace, tenant, as_of),
        changes=inputs.changes,
        alerts=inputs.alerts,
        incidents=() if isinstance(inputs.incidents, Missing) else inputs.incidents,
        change_lines=change_lines(session, tenant, period, names),
        names=names,
        incident_summaries=incident_summaries(session, workspace, tenant, period, names, now),
        decisions=decisions(session, workspace, tenant, period, as_of, view, names, exposed),
        freshness=freshness(session, tenant, period, now),
        commentary=workspace.reports.commentary,
        logo=logo_uri(workspace.reports.logo),
        risk_owner=owner.label() if owner else "unowned",
    )


def logo_uri(path: Path | None) -> str:
    """The partner's logo as a data: URI (reviews fetch nothing), or '' without one."""
    if path is None:
        return ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the reports logo {path}: {exc.strerror}") from None
    return f"data:{LOGO_TYPES[path.suffix.lower()]};base64,{base64.b64encode(data).decode()}"


def write_review_files(
    store: Store,
    workspace: Workspace,
    tenant: str,
    kind: str,
    period: Period,
    output_dir: Path,
    *,
    now: datetime,
    findings: Sequence[FindingRow] | Missing | None = None,
    previous_findings: Sequence[FindingRow] = (),
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Write the review as HTML and/or PDF into `output_dir`; return the paths written."""
    with store.session() as session:
        review = prepare_review(
            session,
            workspace,
            tenant,
            kind,
            period,
            now=now,
            findings=findings,
            previous_findings=previous_findings,
        )
    return write_review(review, output_dir, formats)


def _pack_files(
    session: Session,
    workspace: Workspace,
    tenant: str,
    period: Period,
    *,
    now: datetime,
    findings: Sequence[FindingRow] | Missing,
) -> dict[str, bytes]:
    as_of = min(now, period.end)
    files: dict[str, bytes] = {}
    values = compute_period(session, workspace, tenant, period, now=now)
    files["metrics.json"] = json_file(
        [v.to_json() | {"definition": definition(v.key).definition} for v in values]
    )
    if isinstance(findings, Missing):
        files["findings.json"] = json_file({"no_data": findings.reason})
        documents: list[dict[str, Any]] = []
    else:
        documents = [f.document or asdict(f) for f in findings]
        files["findings.json"] = json_file(documents)
    snapshot_id = assessed_snapshot(session, tenant, period)
    if snapshot_id is not None and documents:
        snap = load_snapshot(session, snapshot_id)
        for key in sorted(referenced_resources(documents)):
            digest = snap.outcome(key).digest
            if digest:
                files[f"raw/{digest}.json"] = raw_blob(session, digest)
    rmap = build_map(workspace)
    files["responsibility-map.csv"] = render_map(rmap, "csv").encode()
    files["responsibility-map.md"] = render_map(rmap, "md").encode()
    files["exceptions.json"] = json_file(
        [
            # `state` as `cosec exceptions show` reports it (an approval past its expiry
            # is expired); the decision as recorded is kept beside it
            asdict(r) | {"state": r.state_at(as_of).value, "recorded_state": r.state.value}
            for r in exception_store.list_records(session, tenant=tenant)
            if r.proposed_at <= as_of
        ]
    )
    files["restore-tests.json"] = json_file(
        [asdict(t) for t in restore_tests(session, tenant, period.start, period.end)]
    )
    files["reviews.json"] = json_file([asdict(r) for r in reviews(session, tenant)])
    files["changes.json"] = json_file([asdict(c) for c in change_lines(session, tenant, period)])
    return files


def write_evidence_pack(
    store: Store,
    workspace: Workspace,
    data_dir: Path,
    tenant: str,
    period: Period,
    output: Path,
    *,
    now: datetime,
    findings: Sequence[FindingRow] | Missing | None = None,
    previous_findings: Sequence[FindingRow] = (),
) -> Path:
    """Write the signed evidence pack of `tenant` for `period` to the zip `output`."""
    key = load_or_create_signing_key(data_dir)
    with store.session() as session:
        if findings is None:
            findings, previous_findings = period_findings(session, tenant, period)
        files = _pack_files(session, workspace, tenant, period, now=now, findings=findings)
        kind = next((k for k, pk in PERIOD_KIND.items() if pk is period.kind), None)
        if kind is not None:
            review = prepare_review(
                session,
                workspace,
                tenant,
                kind,
                period,
                now=now,
                findings=findings,
                previous_findings=previous_findings,
            )
    if kind is not None:
        html = render_html(review)
        files[f"reports/{review_filename(review, 'html')}"] = html.encode()
        files[f"reports/{review_filename(review, 'pdf')}"] = render_pdf(html)
    return build_pack(output, files, key=key, tenant=tenant, period=period.label, generated_at=now)
