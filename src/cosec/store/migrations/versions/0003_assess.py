"""Assessment: runs, findings, attestations.

Revision ID: 0003_assess
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cosec.store.base as b

revision: str = "0003_assess"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("assess",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("snapshot_id", sa.Integer()),
        sa.Column("snapshot_taken_at", b.UtcDateTime(), nullable=False),
        sa.Column("assessed_at", b.UtcDateTime(), nullable=False),
        sa.Column("controls", sa.Integer(), nullable=False),
        sa.Column("counts", b.JsonType, nullable=False),
    )
    op.create_index("ix_assessment_runs_tenant_at", "assessment_runs", ["tenant", "assessed_at"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("assessment_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("control_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("area", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", b.JsonType, nullable=False),
        sa.Column("affected", b.JsonType, nullable=False),
        sa.Column("accepted_by", b.JsonType, nullable=False),
        sa.Column("unexcepted", b.JsonType, nullable=False),
        sa.Column("owners", b.JsonType),
        sa.Column("missing", b.JsonType, nullable=False),
    )
    op.create_index("ix_findings_run_control", "findings", ["run_id", "control_id"], unique=True)
    op.create_index("ix_findings_status", "findings", ["status"])
    op.create_table(
        "assessment_attestations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("control_id", sa.String(32), nullable=False),
        sa.Column("attested_at", b.UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_assessment_attestations_tenant", "assessment_attestations", ["tenant", "control_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_attestations_tenant", "assessment_attestations")
    op.drop_table("assessment_attestations")
    op.drop_index("ix_findings_status", "findings")
    op.drop_index("ix_findings_run_control", "findings")
    op.drop_table("findings")
    op.drop_index("ix_assessment_runs_tenant_at", "assessment_runs")
    op.drop_table("assessment_runs")
