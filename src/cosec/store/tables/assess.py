"""Assessment runs, their findings, and attestations of what no API can show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cosec.store.base import Base, JsonType, UtcDateTime


class AssessmentRunRow(Base):
    __tablename__ = "assessment_runs"
    __table_args__ = (Index("ix_assessment_runs_tenant_at", "tenant", "assessed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    snapshot_id: Mapped[int | None] = mapped_column(Integer)
    snapshot_taken_at: Mapped[datetime] = mapped_column(UtcDateTime())
    assessed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    controls: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JsonType)  # status → number


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_control", "run_id", "control_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_runs.id", ondelete="CASCADE"))
    control_id: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JsonType)
    affected: Mapped[list[Any]] = mapped_column(JsonType)
    accepted_by: Mapped[list[Any]] = mapped_column(JsonType)
    unexcepted: Mapped[list[Any]] = mapped_column(JsonType)
    owners: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    missing: Mapped[dict[str, Any]] = mapped_column(JsonType)  # resource, permission, licence


class AttestationRow(Base):
    """A person's dated statement that a control holds where no API can show it."""

    __tablename__ = "assessment_attestations"
    __table_args__ = (Index("ix_assessment_attestations_tenant", "tenant", "control_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    control_id: Mapped[str] = mapped_column(String(32))
    attested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
