"""Collect: raw blobs, snapshots and their resources, event streams, watermarks.

Revision ID: 0002_collect
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cosec.store.base as b

revision: str = "0002_collect"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("collect",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "raw_blobs",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("taken_at", b.UtcDateTime(), nullable=False),
        sa.Column("started_at", b.UtcDateTime(), nullable=False),
        sa.Column("finished_at", b.UtcDateTime(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("as_of", sa.Date()),
        sa.Column("stats", b.JsonType, nullable=False),
    )
    op.create_index("ix_snapshots_tenant_taken", "snapshots", ["tenant", "taken_at"])
    op.create_table(
        "snapshot_resources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "snapshot_id",
            sa.Integer(),
            sa.ForeignKey(
                "snapshots.id",
                ondelete="CASCADE",
                name="fk_snapshot_resources_snapshot_id_snapshots",
            ),
            nullable=False,
        ),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("permission", sa.String(120)),
        sa.Column("licence", sa.String(120)),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column(
            "digest",
            sa.String(64),
            sa.ForeignKey("raw_blobs.digest", name="fk_snapshot_resources_digest_raw_blobs"),
        ),
        sa.UniqueConstraint("snapshot_id", "resource", name="uq_snapshot_resources_snapshot_id"),
    )
    op.create_table(
        "collected_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(40), nullable=False),
        sa.Column("event_id", sa.String(256), nullable=False),
        sa.Column("occurred_at", b.UtcDateTime(), nullable=False),
        sa.Column("version_at", b.UtcDateTime()),
        sa.Column("raw", b.JsonType, nullable=False),
        sa.UniqueConstraint("tenant", "stream", "event_id", name="uq_collected_events_tenant"),
    )
    op.create_index(
        "ix_collected_events_when", "collected_events", ["tenant", "stream", "occurred_at"]
    )
    op.create_table(
        "stream_watermarks",
        sa.Column("tenant", sa.String(64), primary_key=True),
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("position", b.UtcDateTime(), nullable=False),
        sa.Column("updated_at", b.UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stream_watermarks")
    op.drop_index("ix_collected_events_when", table_name="collected_events")
    op.drop_table("collected_events")
    op.drop_table("snapshot_resources")
    op.drop_index("ix_snapshots_tenant_taken", table_name="snapshots")
    op.drop_table("snapshots")
    op.drop_table("raw_blobs")
