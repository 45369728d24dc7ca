"""digitalisierungs-check: sessions, answers, results

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNFINISHED = "status IN ('open', 'paused')"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "check_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=80), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'paused', 'finished', 'cancelled')",
            name=op.f("ck_check_sessions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_check_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_sessions")),
    )
    with op.batch_alter_table("check_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_check_sessions_one_unfinished",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text(UNFINISHED),
            postgresql_where=sa.text(UNFINISHED),
        )
    op.create_table(
        "check_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=16), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 0 AND 4", name=op.f("ck_check_answers_score")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["check_sessions.id"],
            name=op.f("fk_check_answers_session_id_check_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_answers")),
        sa.UniqueConstraint(
            "session_id", "question_id", name=op.f("uq_check_answers_session_id_question_id")
        ),
    )
    op.create_table(
        "check_results",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=80), nullable=False),
        sa.Column("municipality_key", sa.String(length=80), nullable=False),
        sa.Column("size_class", sa.SmallInteger(), nullable=True),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["check_sessions.id"],
            name=op.f("fk_check_results_session_id_check_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_check_results")),
    )
    with op.batch_alter_table("check_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_check_results_municipality_key"), ["municipality_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_check_results_size_class"), ["size_class"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("check_results")
    op.drop_table("check_answers")
    with op.batch_alter_table("check_sessions", schema=None) as batch_op:
        batch_op.drop_index("uq_check_sessions_one_unfinished")
        batch_op.drop_index(batch_op.f("ix_check_sessions_user_id"))
    op.drop_table("check_sessions")
