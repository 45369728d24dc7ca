"""Förderradar: a funding call's funder, who may apply, amount or rate, and its ``stand``

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:00:00.000000

All four columns are nullable: calls recorded with ``/foerderaufruf`` have none of them. On
SQLite dropping them rebuilds the table in batch mode, which keeps AUTOINCREMENT (see 0004).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("funding_calls", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("funder", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("eligible", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("amount", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("stand", sa.Date(), nullable=True))


def downgrade() -> None:
    """Revert this revision (the details are lost)."""
    with op.batch_alter_table("funding_calls", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_column("stand")
        batch_op.drop_column("amount")
        batch_op.drop_column("eligible")
        batch_op.drop_column("funder")
