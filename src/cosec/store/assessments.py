"""Assessment runs in the store: run the catalog over a snapshot, keep the findings.

`run_assessment` is the one call the CLI, the demo and the reports use; `latest_run` and
`previous_run` read history back for the run-to-run comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosec.config import Role, Severity, Workspace
from cosec.controls.base import Control, ObjectRef, Observation, Status
from cosec.controls.catalog import control_by_id, load_catalog
from cosec.controls.context import AssessmentContext, IncidentFact
from cosec.controls.engine import assess
from cosec.controls.finding import Finding
from cosec.controls.run import AssessmentRun
from cosec.errors import ConfigError, NotFoundError
from cosec.governance.raci import area_owners
from cosec.model.governance import AreaOwners, ControlArea, GovernanceFacts, Owner
from cosec.model.snapshot import Snapshot
from cosec.model.view import TenantView
from cosec.store.evidence import restore_tests
from cosec.store.exceptions import operating_model_facts, valid_grants
from cosec.store.incidents import list_incidents
from cosec.store.metrics import last_reviews_held
from cosec.store.tables.assess import AssessmentRunRow, AttestationRow, FindingRow

RESTORE_HISTORY = timedelta(days=730)  # restore tests older than this never decide anything


def run_assessment(
    session: Session,
    snapshot: Snapshot,
    context: AssessmentContext,
    controls: Iterable[Control] | None = None,
) -> AssessmentRun:
    """Evaluate the catalog (or `controls`) on `snapshot`, store the run, return it."""
    findings = assess(TenantView.from_snapshot(snapshot), context, controls or load_catalog())
    run = AssessmentRun(
        tenant=snapshot.tenant,
        snapshot_id=snapshot.id,
        snapshot_taken_at=snapshot.taken_at,
        assessed_at=context.now,
        findings=tuple(findings),
    )
    return save_run(session, run)


def save_run(session: Session, run: AssessmentRun) -> AssessmentRun:
    row = AssessmentRunRow(
        tenant=run.tenant,
        snapshot_id=run.snapshot_id,
        snapshot_taken_at=run.snapshot_taken_at,
        assessed_at=run.assessed_at,
        controls=len(run.findings),
        counts=run.counts,
    )
    session.add(row)
    session.flush()
    session.add_all(_finding_row(row.id, f) for f in run.findings)
    session.flush()
    return AssessmentRun(
        tenant=run.tenant,
        snapshot_id=run.snapshot_id,
        snapshot_taken_at=run.snapshot_taken_at,
        assessed_at=run.assessed_at,
        findings=run.findings,
        id=row.id,
    )


def _finding_row(run_id: int, f: Finding) -> FindingRow:
    data = f.as_dict()
    return FindingRow(
        run_id=run_id,
        control_id=f.control_id,
        title=f.title,
        area=f.area.value,
        severity=f.severity.value,
        status=f.status.value,
        summary=f.summary,
        evidence=data["evidence"],
        affected=data["affected"],
        accepted_by=data["accepted_by"],
        unexcepted=data["unexcepted"],
        owners=_owners_json(f.owners),
        missing={
            "resource": f.missing_resource,
            "permission": f.missing_permission,
            "licence": f.missing_licence,
        },
    )


def _owners_json(owners: AreaOwners | None) -> dict[str, Any] | None:
    if owners is None:
        return None
    out: dict[str, Any] = {}
    for duty in ("configure", "monitor", "respond", "evidence"):
        o: Owner | None = getattr(owners, duty)
        out[duty] = None if o is None else {"party": o.party, "role": o.role, "person": o.person}
    return out


def _owners(area: ControlArea, data: dict[str, Any] | None) -> AreaOwners | None:
    if data is None:
        return None
    cells = {
        k: None if v is None else Owner(v["party"], v["role"], v.get("person"))
        for k, v in data.items()
    }
    return AreaOwners(
        area, cells["configure"], cells["monitor"], cells["respond"], cells["evidence"]
    )


def _refs(items: list[Any]) -> tuple[ObjectRef, ...]:
    return tuple(ObjectRef(i["resource"], i["id"], i["name"]) for i in items)


def _finding(row: FindingRow) -> Finding:
    area = ControlArea(row.area)
    evidence = tuple(
        Observation(
            ObjectRef(e["resource"], e["object_id"], e["object_name"]),
            e["path"],
            e["observed"],
            e["expected"],
            e["ok"],
        )
        for e in row.evidence
    )
    return Finding(
        control_id=row.control_id,
        title=row.title,
        area=area,
        severity=Severity(row.severity),
        status=Status(row.status),
        summary=row.summary,
        evidence=evidence,
        affected=_refs(row.affected),
        accepted_by=tuple(row.accepted_by),
        unexcepted=_refs(row.unexcepted),
        owners=_owners(area, row.owners),
        missing_resource=row.missing.get("resource"),
        missing_permission=row.missing.get("permission"),
        missing_licence=row.missing.get("licence"),
    )


def _load(session: Session, row: AssessmentRunRow) -> AssessmentRun:
    findings = session.scalars(
        select(FindingRow).where(FindingRow.run_id == row.id).order_by(FindingRow.id)
    )
    return AssessmentRun(
        tenant=row.tenant,
        snapshot_id=row.snapshot_id,
        snapshot_taken_at=row.snapshot_taken_at,
        assessed_at=row.assessed_at,
        findings=tuple(_finding(f) for f in findings),
        id=row.id,
    )


def get_run(session: Session, run_id: int) -> AssessmentRun:
    row = session.get(AssessmentRunRow, run_id)
    if row is None:
        raise NotFoundError(f"no assessment run {run_id}")
    return _load(session, row)


def latest_run(session: Session, tenant: str) -> AssessmentRun | None:
    """The tenant's most recent run, or None if it was never assessed."""
    row = session.scalars(
        select(AssessmentRunRow)
        .where(AssessmentRunRow.tenant == tenant)
        .order_by(AssessmentRunRow.assessed_at.desc(), AssessmentRunRow.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _load(session, row)


def previous_run(session: Session, run: AssessmentRun) -> AssessmentRun | None:
    """The run of the same tenant stored just before `run`."""
    if run.id is None:
        return latest_run(session, run.tenant)
    row = session.scalars(
        select(AssessmentRunRow)
        .where(AssessmentRunRow.tenant == run.tenant, AssessmentRunRow.id < run.id)
        .order_by(AssessmentRunRow.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _load(session, row)


def list_runs(session: Session, tenant: str) -> list[tuple[int, datetime, dict[str, int]]]:
    """(id, assessed_at, counts) of the tenant's runs, oldest first."""
    rows = session.scalars(
        select(AssessmentRunRow)
        .where(AssessmentRunRow.tenant == tenant)
        .order_by(AssessmentRunRow.assessed_at, AssessmentRunRow.id)
    )
    return [(r.id, r.assessed_at, dict(r.counts)) for r in rows]


def attest(
    session: Session, *, tenant: str, control_id: str, at: datetime, actor: str, note: str
) -> None:
    """Record that `actor` confirmed `control_id` holds (e.g. tested a break-glass alert)."""
    try:
        control_id = control_by_id(control_id).id
    except KeyError:
        raise NotFoundError(f"no control {control_id!r} in the catalog") from None
    if not note.strip():
        raise ConfigError("an attestation needs a note saying what was checked", field="note")
    session.add(
        AttestationRow(tenant=tenant, control_id=control_id, attested_at=at, actor=actor, note=note)
    )
    session.flush()


def attestations(session: Session, tenant: str) -> dict[str, datetime]:
    """control id → when it was last attested for the tenant."""
    out: dict[str, datetime] = {}
    for row in session.scalars(select(AttestationRow).where(AttestationRow.tenant == tenant)):
        if row.control_id not in out or row.attested_at > out[row.control_id]:
            out[row.control_id] = row.attested_at
    return out


def build_context(
    session: Session,
    workspace: Workspace,
    tenant: str,
    now: datetime,
    snapshot: Snapshot | None,
) -> AssessmentContext:
    """The assessment context from the workspace and every register in the store."""
    facts = GovernanceFacts(
        reviews_held=last_reviews_held(session, tenant),
        on_call_defined=bool(
            workspace.incident_response.on_call.after_hours or workspace.people_with(Role.ON_CALL)
        ),
        authority_matrix_defined=bool(workspace.incident_response.authority),
    )
    incidents = tuple(
        IncidentFact(i.code, i.title, i.severity, i.declared_at, i.closed_at)
        for i in list_incidents(session, tenant=tenant)
    )
    return AssessmentContext.from_workspace(
        workspace,
        tenant,
        now,
        owners=area_owners(workspace),
        exceptions=tuple(valid_grants(session, tenant, now)),
        restore_tests=tuple(
            restore_tests(session, tenant, now - RESTORE_HISTORY, now + timedelta(seconds=1))
        ),
        governance=operating_model_facts(session, workspace, tenant, now, snapshot, facts),
        incidents=incidents,
        attestations=attestations(session, tenant),
    )
