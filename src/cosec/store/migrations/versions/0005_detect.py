"""Detection and response: alerts and their history, incidents, timelines, response
actions, detection cursors.

Revision ID: 0005_detect
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cosec.store.base as b

revision: str = "0005_detect"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("detect",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("declared_at", b.UtcDateTime(), nullable=False),
        sa.Column("declared_by", sa.String(64), nullable=False),
        sa.Column("checklist", b.JsonType, nullable=False),
        sa.Column("closed_at", b.UtcDateTime()),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("area", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(256), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("first_seen_at", b.UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", b.UtcDateTime(), nullable=False),
        sa.Column("detected_at", b.UtcDateTime(), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("evidence", b.JsonType, nullable=False),
        sa.Column("details", b.JsonType, nullable=False),
        sa.Column("owner_party", sa.String(16)),
        sa.Column("owner_role", sa.String(32)),
        sa.Column("assignee", sa.String(64)),
        sa.Column("sla_seconds", sa.Integer(), nullable=False),
        sa.Column("sla_breached_at", b.UtcDateTime()),
        sa.Column("pauses", b.JsonType, nullable=False),
        sa.Column("snoozed_until", b.UtcDateTime()),
        sa.Column("triage_started_at", b.UtcDateTime()),
        sa.Column("triage_started_by", sa.String(64)),
        sa.Column("closed_at", b.UtcDateTime()),
        sa.Column("closed_by", sa.String(64)),
        sa.Column("close_reason", sa.Text()),
        sa.Column("suppressed_by", sa.String(32)),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incidents.id")),
        sa.Index("ix_alerts_tenant_state", "tenant", "state"),
        sa.Index("ix_alerts_fingerprint", "tenant", "fingerprint"),
    )
    op.create_table(
        "alert_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "alert_id",
            sa.Integer(),
            sa.ForeignKey("alerts.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("at", b.UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16)),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_table(
        "incident_timeline",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incidents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("at", b.UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", b.JsonType, nullable=False),
    )
    op.create_table(
        "incident_actions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incidents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", b.JsonType, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", b.UtcDateTime(), nullable=False),
        sa.Column("authority", sa.String(16), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approval_due_at", b.UtcDateTime()),
        sa.Column("approved_by", sa.String(64)),
        sa.Column("approved_at", b.UtcDateTime()),
        sa.Column("executed_at", b.UtcDateTime()),
        sa.Column("before", b.JsonType),
        sa.Column("after", b.JsonType),
        sa.Column("error", sa.Text()),
    )
    op.create_table(
        "detect_cursors",
        sa.Column("tenant", sa.String(64), primary_key=True),
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("position", b.UtcDateTime(), nullable=False),
        sa.Column("updated_at", b.UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("detect_cursors")
    op.drop_table("incident_actions")
    op.drop_table("incident_timeline")
    op.drop_table("alert_history")
    op.drop_table("alerts")
    op.drop_table("incidents")
