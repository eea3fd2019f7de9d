"""Snapshots: raw JSON stored once by content (SHA-256, zlib) plus an outcome per resource.

Blobs live in the database, not on disk, so a PostgreSQL deployment shares them between
machines; identical documents (an unchanged policy, an empty list) are stored once.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from cosec.errors import NotFoundError
from cosec.model.snapshot import JsonObject, Outcome, ResourceOutcome, Snapshot
from cosec.store._upsert import insert_for
from cosec.store.tables.collect import RawBlobRow, SnapshotResourceRow, SnapshotRow


def encode(document: Any) -> tuple[str, bytes]:
    """(SHA-256 hex of the canonical JSON text, that text's bytes)."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data = text.encode()
    return hashlib.sha256(data).hexdigest(), data


def put_blob(session: Session, document: Any) -> str:
    """Store `document` once; returns its digest."""
    digest, data = encode(document)
    if session.get(RawBlobRow, digest) is None:
        stmt = insert_for(session, RawBlobRow).values(
            digest=digest, size=len(data), data=zlib.compress(data, 6)
        )
        session.execute(stmt.on_conflict_do_nothing(index_elements=["digest"]))
    return digest


def raw_blob(session: Session, digest: str) -> bytes:
    """The raw JSON text stored under `digest` (for evidence packs)."""
    row = session.get(RawBlobRow, digest)
    if row is None:
        raise NotFoundError(f"no raw document with digest {digest}")
    return zlib.decompress(row.data)


def _document(session: Session, digest: str) -> Any:
    return orjson.loads(raw_blob(session, digest))


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    tenant: str
    taken_at: datetime
    partial: bool
    as_of: date | None
    outcomes: dict[str, int]  # status → number of resources
    stats: dict[str, Any]


def save_snapshot(
    session: Session,
    snapshot: Snapshot,
    *,
    started_at: datetime,
    finished_at: datetime,
    as_of: date | None = None,
    stats: Mapping[str, Any] | None = None,
) -> int:
    """Store a snapshot; per-parent resources keep their parent → items map. Returns its id."""
    row = SnapshotRow(
        tenant=snapshot.tenant,
        taken_at=snapshot.taken_at,
        started_at=started_at,
        finished_at=finished_at,
        partial=snapshot.partial,
        as_of=as_of,
        stats=dict(stats or {}),
    )
    session.add(row)
    session.flush()
    for key, outcome in snapshot.outcomes.items():
        digest = None
        if outcome.status is Outcome.OK:
            per_parent = snapshot.raw_per_parent.get(key)
            document: Any = (
                {p: list(v) for p, v in per_parent.items()}
                if per_parent is not None
                else list(snapshot.raw.get(key, []))
            )
            digest = put_blob(session, document)
        session.add(
            SnapshotResourceRow(
                snapshot_id=row.id,
                resource=key,
                status=outcome.status.value,
                reason=outcome.reason,
                permission=outcome.permission,
                licence=outcome.licence,
                item_count=outcome.item_count,
                digest=digest,
            )
        )
    session.flush()
    snapshot.id = row.id
    return row.id


def load_snapshot(session: Session, snapshot_id: int) -> Snapshot:
    row = session.get(SnapshotRow, snapshot_id)
    if row is None:
        raise NotFoundError(f"no snapshot with id {snapshot_id}")
    outcomes: dict[str, ResourceOutcome] = {}
    raw: dict[str, list[JsonObject]] = {}
    per_parent: dict[str, dict[str, list[JsonObject]]] = {}
    resources = session.scalars(
        select(SnapshotResourceRow).where(SnapshotResourceRow.snapshot_id == snapshot_id)
    )
    for r in resources:
        outcomes[r.resource] = ResourceOutcome(
            resource=r.resource,
            status=Outcome(r.status),
            reason=r.reason,
            permission=r.permission,
            licence=r.licence,
            item_count=r.item_count,
            digest=r.digest,
        )
        if r.digest is None:
            continue
        document = _document(session, r.digest)
        if isinstance(document, dict):
            per_parent[r.resource] = document
            raw[r.resource] = [item for items in document.values() for item in items]
        else:
            raw[r.resource] = document
    return Snapshot(
        tenant=row.tenant,
        taken_at=row.taken_at,
        outcomes=outcomes,
        raw=raw,
        raw_per_parent=per_parent,
        id=row.id,
    )


def latest_snapshot(
    session: Session, tenant: str, *, at_or_before: datetime | None = None
) -> Snapshot | None:
    """The tenant's most recent snapshot (taken at or before `at_or_before` if given)."""
    query = select(SnapshotRow.id).where(SnapshotRow.tenant == tenant)
    if at_or_before is not None:
        query = query.where(SnapshotRow.taken_at <= at_or_before)
    found = session.scalar(query.order_by(SnapshotRow.taken_at.desc(), SnapshotRow.id.desc()))
    return None if found is None else load_snapshot(session, found)


def list_snapshots(session: Session, tenant: str) -> list[SnapshotInfo]:
    """The tenant's snapshots, oldest first, without their raw documents."""
    rows = session.scalars(
        select(SnapshotRow)
        .where(SnapshotRow.tenant == tenant)
        .order_by(SnapshotRow.taken_at, SnapshotRow.id)
    ).all()
    counts: dict[int, dict[str, int]] = {r.id: {} for r in rows}
    if rows:
        pairs = session.execute(
            select(SnapshotResourceRow.snapshot_id, SnapshotResourceRow.status).where(
                SnapshotResourceRow.snapshot_id.in_([r.id for r in rows])
            )
        )
        for sid, status in pairs:
            counts[sid][status] = counts[sid].get(status, 0) + 1
    return [
        SnapshotInfo(r.id, r.tenant, r.taken_at, r.partial, r.as_of, counts[r.id], dict(r.stats))
        for r in rows
    ]
