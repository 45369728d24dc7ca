"""editorial loop: learned questions and decisions on gaps

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "learned_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("entry_id", sa.String(length=128), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_questions")),
    )
    op.create_table(
        "gap_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("normalized", sa.String(length=500), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accept', 'new_entry', 'ignore')",
            name=op.f("ck_gap_decisions_decision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gap_decisions")),
    )
    with op.batch_alter_table("gap_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gap_decisions_normalized"), ["normalized"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("gap_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gap_decisions_normalized"))
    op.drop_table("gap_decisions")
    op.drop_table("learned_questions")
