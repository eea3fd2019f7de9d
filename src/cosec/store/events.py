"""Event streams: de-duplicated events per (tenant, stream) and their watermarks.

Writers add a page of events and, when a window is complete, advance the watermark in
the same transaction, so a crash at any point loses nothing and re-reading an overlapping
window adds nothing twice. Records that change after they are first seen (alerts,
incidents) carry `version_at`; the newest version wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cosec.store._upsert import insert_for
from cosec.store.tables.collect import EventRow, WatermarkRow


@dataclass(frozen=True)
class NewEvent:
    id: str
    occurred_at: datetime
    raw: dict[str, Any]
    version_at: datetime | None = None


@dataclass(frozen=True)
class StoredEvent:
    id: str
    occurred_at: datetime
    raw: dict[str, Any]


def put_events(session: Session, tenant: str, stream: str, events: Iterable[NewEvent]) -> None:
    """Insert events; existing ids are kept unless the new one is a newer version."""
    rows = [
        {
            "tenant": tenant,
            "stream": stream,
            "event_id": e.id,
            "occurred_at": e.occurred_at,
            "version_at": e.version_at,
            "raw": e.raw,
        }
        for e in {e.id: e for e in events}.values()  # one row per id within a page
    ]
    plain = [r for r in rows if r["version_at"] is None]
    versioned = [r for r in rows if r["version_at"] is not None]
    keys = ["tenant", "stream", "event_id"]
    # One statement compiled once, executed with the page's rows as parameters: SQLAlchemy
    # sends them as multi-row INSERTs (insertmanyvalues) on both SQLite and PostgreSQL.
    if plain:
        stmt = insert_for(session, EventRow).on_conflict_do_nothing(index_elements=keys)
        session.execute(stmt, plain)
    if versioned:
        stmt = insert_for(session, EventRow)
        stmt = stmt.on_conflict_do_update(
            index_elements=keys,
            set_={
                "raw": stmt.excluded.raw,
                "occurred_at": stmt.excluded.occurred_at,
                "version_at": stmt.excluded.version_at,
            },
            where=(EventRow.version_at.is_(None))
            | (EventRow.version_at < stmt.excluded.version_at),
        )
        session.execute(stmt, versioned)


def _filtered(
    query: Any, tenant: str, stream: str, start: datetime | None, end: datetime | None
) -> Any:
    query = query.where(EventRow.tenant == tenant, EventRow.stream == stream)
    if start is not None:
        query = query.where(EventRow.occurred_at >= start)
    if end is not None:
        query = query.where(EventRow.occurred_at < end)
    return query


def iter_events(
    session: Session,
    tenant: str,
    stream: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Iterator[StoredEvent]:
    """Events with start <= occurred_at < end, oldest first, streamed in chunks."""
    query = _filtered(
        select(EventRow.event_id, EventRow.occurred_at, EventRow.raw), tenant, stream, start, end
    ).order_by(EventRow.occurred_at, EventRow.event_id)
    for event_id, occurred_at, raw in session.execute(query.execution_options(yield_per=1000)):
        yield StoredEvent(event_id, occurred_at, raw)


def count_events(
    session: Session,
    tenant: str,
    stream: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    query = _filtered(select(func.count()).select_from(EventRow), tenant, stream, start, end)
    return int(session.scalar(query) or 0)


def watermark(session: Session, tenant: str, stream: str) -> datetime | None:
    """Up to when the stream is completely stored, or None before the first collection."""
    row = session.get(WatermarkRow, (tenant, stream))
    return None if row is None else row.position


def set_watermark(
    session: Session, tenant: str, stream: str, position: datetime, *, now: datetime
) -> None:
    """Move the watermark forward (never back) in the caller's transaction."""
    row = session.get(WatermarkRow, (tenant, stream))
    if row is None:
        session.add(WatermarkRow(tenant=tenant, stream=stream, position=position, updated_at=now))
    elif position > row.position:
        row.position = position
        row.updated_at = now
    session.flush()
