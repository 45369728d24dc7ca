"""``digilotse db upgrade`` and ``db check``: the schema, and whether the database can serve."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``db upgrade``."""
    parser = subparsers.add_parser("db", help="Datenbank verwalten")
    db = parser.add_subparsers(dest="db_command", required=True)
    upgrade = db.add_parser("upgrade", help="Schema auf den neuesten Stand bringen")
    upgrade.set_defaults(handler=run_upgrade)
    check = db.add_parser(
        "check", help="Prüfen, ob die Datenbank erreichbar und ihr Schema aktuell ist (Exit 0/1)"
    )
    check.set_defaults(handler=run_check)


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


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 when ``DATABASE_URL`` answers with its schema at head (the container health check)."""
    from bot.settings import load_settings
    from storage.db import Database
    from storage.migrate import head_revision

    settings = load_settings()

    async def revision() -> str | None:
        database = Database(settings.database_url)
        try:
            return await database.schema_revision()
        finally:
            await database.dispose()

    try:
        current = asyncio.run(revision())
    except Exception as exc:  # any driver error means "not ready"; one line, no traceback
        print(f"database not reachable: {type(exc).__name__}", file=sys.stderr)
        return 1
    head = head_revision()
    if current != head:
        print(f"database schema at {current}, expected {head}", file=sys.stderr)
        return 1
    print(f"database ready (schema {head})")
    return 0
