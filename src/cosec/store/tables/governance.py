"""Operating-model tables: exception register, notification outbox, baselines, changes, drift."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cosec.store.base import Base, JsonType, UtcDateTime


class ExceptionRow(Base):
    __tablename__ = "exception_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    control_id: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    scope: Mapped[list[str]] = mapped_column(JsonType)
    justification: Mapped[str] = mapped_column(Text)
    compensating_controls: Mapped[str] = mapped_column(Text)
    requester: Mapped[str] = mapped_column(String(64))
    requester_party: Mapped[str] = mapped_column(String(16))
    risk_owner: Mapped[str | None] = mapped_column(String(64))
    approver: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), index=True)
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    origin_at: Mapped[datetime] = mapped_column(UtcDateTime)
    renewal_of: Mapped[str | None] = mapped_column(String(16))
    renewal_count: Mapped[int] = mapped_column(Integer, default=0)
    review_notes: Mapped[list[dict[str, str]]] = mapped_column(JsonType)


class ExceptionRefusalRow(Base):
    """A proposal refused at intake (no expiry, too long, …): counted in reviews."""

    __tablename__ = "exception_refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    control_id: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(64))
    party: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)


class NotificationRow(Base):
    """The outbox: notifications to people, delivered by e-mail when SMTP is set up."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    tenant: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class BaselineRow(Base):
    """One object of a tenant's approved configuration baseline."""

    __tablename__ = "baseline_objects"
    __table_args__ = (UniqueConstraint("tenant", "resource", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    resource: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JsonType)
    digest: Mapped[str] = mapped_column(String(64))
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(64))


class BaselineResourceRow(Base):
    """A tracked resource whose state was adopted into the baseline (even if empty)."""

    __tablename__ = "baseline_resources"
    __table_args__ = (UniqueConstraint("tenant", "resource"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    resource: Mapped[str] = mapped_column(String(64))
    adopted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    adopted_by: Mapped[str] = mapped_column(String(64))


class ChangeRow(Base):
    __tablename__ = "change_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    objects: Mapped[list[str]] = mapped_column(JsonType)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)
    window_end: Mapped[datetime] = mapped_column(UtcDateTime)
    requester: Mapped[str] = mapped_column(String(64))
    requester_party: Mapped[str] = mapped_column(String(16))
    approver: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))


class DriftRow(Base):
    """An observed difference from the baseline not covered by an approved change."""

    __tablename__ = "drift_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    resource: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # added | removed | changed
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    content: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    digest: Mapped[str] = mapped_column(String(64))
    snapshot_id: Mapped[int | None] = mapped_column(Integer)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str | None] = mapped_column(String(200))
    acted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    activity: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)  # open | accepted | reverted
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
