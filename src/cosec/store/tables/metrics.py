"""Recorded evidence with no Microsoft API (restore tests), metric values per period, and
review records (when a monthly or quarterly review was held)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cosec.store.base import Base, JsonType, UtcDateTime


class RestoreTestRow(Base):
    __tablename__ = "restore_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    dataset: Mapped[str] = mapped_column(String(200))
    tested_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    time_to_restore_s: Mapped[int | None] = mapped_column(Integer)
    target_s: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(200))  # "manual" or "import:<file>:<row>"
    notes: Mapped[str] = mapped_column(Text, default="")


class MetricValueRow(Base):
    __tablename__ = "metric_values"
    __table_args__ = (UniqueConstraint("tenant", "key", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(16))  # label: 2026-10, 2026-Q3, …
    value: Mapped[float | None] = mapped_column(Float)
    rag: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)  # MetricValue.to_json()
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("tenant", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # monthly | quarterly
    period: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    attendees: Mapped[list[str]] = mapped_column(JsonType)
    report_digest: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")
