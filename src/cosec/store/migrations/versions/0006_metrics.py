"""Metrics: restore tests, metric values per period, review records.

Revision ID: 0006_metrics
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cosec.store.base as b

revision: str = "0006_metrics"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("metrics",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "restore_tests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("tested_at", b.UtcDateTime(), nullable=False, index=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("time_to_restore_s", sa.Integer()),
        sa.Column("target_s", sa.Integer()),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", b.UtcDateTime(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
    )
    op.create_table(
        "metric_values",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("value", sa.Float()),
        sa.Column("rag", sa.String(16), nullable=False),
        sa.Column("data", b.JsonType, nullable=False),
        sa.Column("computed_at", b.UtcDateTime(), nullable=False),
        sa.UniqueConstraint("tenant", "key", "period", name="uq_metric_values_tenant"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("held_at", b.UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("attendees", b.JsonType, nullable=False),
        sa.Column("report_digest", sa.String(64)),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.UniqueConstraint("tenant", "kind", "period", name="uq_reviews_tenant"),
    )


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("metric_values")
    op.drop_table("restore_tests")
