"""Persisting and reading the audit log. Appends are serialised per database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cosec.governance.audit import GENESIS, AuditEntry, entry_hash
from cosec.store.tables.audit import AuditRow


def _lock(session: Session) -> None:
    """Serialise appenders so that two writers never fork the chain."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(73657301)"))
    elif dialect == "sqlite":
        # Upgrade to a write lock before reading the head.
        session.execute(text("UPDATE audit_log SET seq = seq WHERE 0"))


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    party: str,
    action: str,
    subject: str,
    tenant: str | None = None,
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits with the decision)."""
    _lock(session)
    head = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    digest = entry_hash(
        prev,
        seq=seq,
        at=at,
        actor=actor,
        party=party,
        tenant=tenant,
        action=action,
        subject=subject,
        before=before,
        after=after,
        note=note,
    )
    session.add(
        AuditRow(
            seq=seq,
            at=at,
            actor=actor,
            party=party,
            tenant=tenant,
            action=action,
            subject=subject,
            before=before,
            after=after,
            note=note,
            prev_hash=prev,
            hash=digest,
        )
    )
    session.flush()
    return AuditEntry(
        seq, at, actor, party, tenant, action, subject, before, after, note, prev, digest
    )


def entries(
    session: Session, *, tenant: str | None = None, action_prefix: str | None = None
) -> Iterator[AuditEntry]:
    query = select(AuditRow).order_by(AuditRow.seq)
    if tenant is not None:
        query = query.where(AuditRow.tenant == tenant)
    if action_prefix is not None:
        query = query.where(AuditRow.action.startswith(action_prefix))
    for row in session.scalars(query).yield_per(1000):
        yield AuditEntry(
            row.seq,
            row.at,
            row.actor,
            row.party,
            row.tenant,
            row.action,
            row.subject,
            row.before,
            row.after,
            row.note,
            row.prev_hash,
            row.hash,
        )
