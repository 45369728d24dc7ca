"""event and announcement ids are never reused (SQLite AUTOINCREMENT)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:15:00.000000

Without AUTOINCREMENT SQLite hands the id of a deleted (cancelled) event to the next one, so a
reminder job or a button planned for the old event would act on the new one. PostgreSQL's
SERIAL sequences never reuse ids: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("events", "announcements")


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    """Apply this revision."""
    _rebuild(autoincrement=True)


def downgrade() -> None:
    """Revert this revision."""
    _rebuild(autoincrement=False)
