"""Operating model: exception register, outbox, baselines, change records, drift.

Revision ID: 0004_governance
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cosec.store.base as b

revision: str = "0004_governance"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("governance",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exception_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), unique=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("control_id", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("scope", b.JsonType, nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("compensating_controls", sa.Text(), nullable=False),
        sa.Column("requester", sa.String(64), nullable=False),
        sa.Column("requester_party", sa.String(16), nullable=False),
        sa.Column("risk_owner", sa.String(64)),
        sa.Column("approver", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("proposed_at", b.UtcDateTime(), nullable=False),
        sa.Column("decided_at", b.UtcDateTime()),
        sa.Column("expires_at", b.UtcDateTime(), nullable=False),
        sa.Column("origin_at", b.UtcDateTime(), nullable=False),
        sa.Column("renewal_of", sa.String(16)),
        sa.Column("renewal_count", sa.Integer(), nullable=False),
        sa.Column("review_notes", b.JsonType, nullable=False),
    )
    op.create_table(
        "exception_refusals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("control_id", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("at", b.UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dedupe_key", sa.String(200), nullable=False, unique=True),
        sa.Column("tenant", sa.String(64), index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", b.UtcDateTime(), nullable=False),
        sa.Column("sent_at", b.UtcDateTime()),
        sa.Column("error", sa.Text()),
    )
    op.create_table(
        "baseline_objects",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("content", b.JsonType, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("observed_at", b.UtcDateTime(), nullable=False),
        sa.Column("approved_at", b.UtcDateTime(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.UniqueConstraint("tenant", "resource", "object_id", name="uq_baseline_objects_tenant"),
    )
    op.create_table(
        "baseline_resources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("adopted_at", b.UtcDateTime(), nullable=False),
        sa.Column("adopted_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("tenant", "resource", name="uq_baseline_resources_tenant"),
    )
    op.create_table(
        "change_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), unique=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("objects", b.JsonType, nullable=False),
        sa.Column("window_start", b.UtcDateTime(), nullable=False),
        sa.Column("window_end", b.UtcDateTime(), nullable=False),
        sa.Column("requester", sa.String(64), nullable=False),
        sa.Column("requester_party", sa.String(16), nullable=False),
        sa.Column("approver", sa.String(64)),
        sa.Column("approved_at", b.UtcDateTime()),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("opened_at", b.UtcDateTime(), nullable=False),
        sa.Column("closed_at", b.UtcDateTime()),
        sa.Column("closed_by", sa.String(64)),
    )
    op.create_table(
        "drift_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), unique=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("display_name", sa.String(200)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("changes", b.JsonType, nullable=False),
        sa.Column("content", b.JsonType),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("snapshot_id", sa.Integer()),
        sa.Column("detected_at", b.UtcDateTime(), nullable=False),
        sa.Column("observed_at", b.UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(200)),
        sa.Column("acted_at", b.UtcDateTime()),
        sa.Column("activity", sa.String(200)),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", b.UtcDateTime()),
    )


def downgrade() -> None:
    for table in (
        "drift_records",
        "change_records",
        "baseline_resources",
        "baseline_objects",
        "notifications",
        "exception_refusals",
        "exception_records",
    ):
        op.drop_table(table)
