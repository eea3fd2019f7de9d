"""Snapshots (content-addressed raw JSON), event streams and their watermarks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cosec.store.base import Base, JsonType, UtcDateTime

# SQLite only auto-numbers INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
EventKey = BigInteger().with_variant(Integer(), "sqlite")


class RawBlobRow(Base):
    """One distinct raw JSON document, zlib-compressed, addressed by SHA-256 of its text."""

    __tablename__ = "raw_blobs"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)  # uncompressed bytes
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SnapshotRow(Base):
    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_tenant_taken", "tenant", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime)
    partial: Mapped[bool] = mapped_column(Boolean)
    as_of: Mapped[date | None] = mapped_column(Date)  # simulator day, when replayed
    stats: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)


class SnapshotResourceRow(Base):
    __tablename__ = "snapshot_resources"
    __table_args__ = (UniqueConstraint("snapshot_id", "resource"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"))
    resource: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    permission: Mapped[str | None] = mapped_column(String(120))
    licence: Mapped[str | None] = mapped_column(String(120))
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    digest: Mapped[str | None] = mapped_column(ForeignKey("raw_blobs.digest"))


class EventRow(Base):
    """One event of a stream; the unique key de-duplicates re-reads of overlapping windows."""

    __tablename__ = "collected_events"
    __table_args__ = (
        UniqueConstraint("tenant", "stream", "event_id"),
        Index("ix_collected_events_when", "tenant", "stream", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(EventKey, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(64))
    stream: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(256))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # lastUpdateDateTime for records that change (alerts, incidents); the newest is kept
    version_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    raw: Mapped[dict[str, Any]] = mapped_column(JsonType)


class WatermarkRow(Base):
    """Everything of a stream up to `position` is stored (minus the late-arrival overlap)."""

    __tablename__ = "stream_watermarks"

    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
