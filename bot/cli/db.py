"""``digilotse db upgrade``: bring the database schema to the current Alembic revision."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``db upgrade``."""
    parser = subparsers.add_parser("db", help="Datenbank verwalten")
    db = parser.add_subparsers(dest="db_command", required=True)
    upgrade = db.add_parser("upgrade", help="Schema auf den neuesten Stand bringen")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the schema of ``DATABASE_URL``."""
    from bot.settings import load_settings
    from storage.db import Database

    settings = load_settings()

    async def upgrade() -> str | None:
        database = Database(settings.database_url)
        try:
            await database.upgrade()
            return await database.schema_revision()
        finally:
            await database.dispose()

    print(f"database schema at revision {asyncio.run(upgrade())}")
    return 0
