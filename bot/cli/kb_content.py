"""``digilotse kb reload`` and ``kb review``: content changes for the running bot, review dates."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, timedelta
from typing import Any


def add_parsers(kb: Any) -> None:
    """Register ``kb reload`` and ``kb review`` under ``kb``."""
    reload = kb.add_parser("reload", help="Inhalte prüfen und im laufenden Bot neu laden")
    reload.set_defaults(handler=run_reload)
    review = kb.add_parser("review", help="Einträge, deren Prüfdatum abläuft (30 Tage)")
    review.add_argument("--format", choices=("text", "csv"), default="text")
    review.add_argument(
        "--today", type=date.fromisoformat, default=None, help="Stichtag JJJJ-MM-TT"
    )
    review.add_argument("--days", type=int, default=30, help="Vorlauf in Tagen (Standard: 30)")
    review.set_defaults(handler=run_review)


def run_reload(args: argparse.Namespace) -> int:
    """Check the files at ``KB_DIR``; if they pass, raise the version the running bot polls."""
    from bot.settings import load_settings
    from knowledge.content import ContentError, load_checked

    settings = load_settings()
    try:
        checked = load_checked(settings.kb_dir)
    except ContentError as error:
        for problem in error.problems:
            print(problem)
        print(f"reload refused: {len(error.problems)} problem(s); the bot keeps its content")
        return 1
    version = asyncio.run(_raise_version(settings.database_url))
    wait = f"{settings.content_poll_seconds:g}"
    print(
        f"content version {version} ({len(checked.entries)} entries): bots reload within {wait} s"
    )
    return 0


async def _raise_version(database_url: str) -> int:
    from storage.db import Database
    from storage.editorial import ContentVersionRepository

    database = Database(database_url)
    try:
        await database.upgrade()
        async with database.session() as session:
            return await ContentVersionRepository(session).bump()
    finally:
        await database.dispose()


def run_review(args: argparse.Namespace) -> int:
    """Print the entries whose ``review_by`` has passed or falls within ``--days``."""
    from bot.settings import load_settings
    from knowledge.loader import load_entries
    from knowledge.review import review_rows, to_csv

    result = load_entries(load_settings().kb_dir)
    rows = review_rows(result, args.today or date.today(), timedelta(days=args.days))
    if args.format == "csv":
        print(to_csv(rows), end="")
        return 0
    for row in rows:
        entry_id, title, review_by, status, _, file, line, _ = row
        print(f"{review_by}\t{status}\t{entry_id}\t{title}\t{file}:{line}")
    print(f"{len(rows)} entries to review")
    return 0
