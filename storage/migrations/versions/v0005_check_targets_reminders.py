"""digitalisierungs-check: per-dimension targets with the result, re-check reminders

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("check_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("targets", sa.JSON(), nullable=True))
    op.create_table(
        "check_reminders",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["check_sessions.id"],
            name=op.f("fk_check_reminders_session_id_check_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_check_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_check_reminders")),
    )
    with op.batch_alter_table("check_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_reminders_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("check_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_reminders_due_at"))
    op.drop_table("check_reminders")
    with op.batch_alter_table("check_results", schema=None) as batch_op:
        batch_op.drop_column("targets")
