"""Förderradar: funding calls, radar subscriptions, announcements of funding calls

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:00:00.000000

Announcements may now belong to a funding call instead of an event (``event_id`` nullable,
``funding_call_id`` added), so calls and their deadline reminders use the same outbox. On
SQLite the table is rebuilt in batch mode and keeps AUTOINCREMENT (see 0004).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "funding_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("admin_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("reminder_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'cancelled')",
            name=op.f("ck_funding_calls_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_calls")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("funding_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funding_calls_status_deadline"), ["status", "deadline"], unique=False
        )
    op.create_table(
        "radar_subscriptions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_radar_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_radar_subscriptions")),
    )
    with op.batch_alter_table("announcements", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("funding_call_id", sa.Integer(), nullable=True))
        batch_op.alter_column("event_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_announcements_funding_call_id_funding_calls"),
            "funding_calls",
            ["funding_call_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    """Revert this revision (announcements of funding calls go with their calls)."""
    op.execute("DELETE FROM announcements WHERE event_id IS NULL")
    with op.batch_alter_table("announcements", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_announcements_funding_call_id_funding_calls"), type_="foreignkey"
        )
        batch_op.alter_column("event_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("funding_call_id")
    op.drop_table("radar_subscriptions")
    with op.batch_alter_table("funding_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_calls_status_deadline"))
    op.drop_table("funding_calls")
