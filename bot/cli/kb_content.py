"""``digilotse kb reload``, ``kb review`` and ``kb learned``: content changes for the running bot,
review dates, and the questions editors accepted in /luecken."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, timedelta
from pathlib import Path
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
    learned = kb.add_parser("learned", help="In /luecken übernommene Fragen (--export: in Dateien)")
    learned.add_argument(
        "--export", action="store_true", help="in die questions: der Einträge in KB_DIR schreiben"
    )
    learned.set_defaults(handler=run_learned)


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
    from storage.editorial.repository import ContentVersionRepository

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


def run_learned(args: argparse.Namespace) -> int:
    """List the accepted questions not in the files yet; ``--export`` writes them there."""
    from bot.settings import load_settings

    settings = load_settings()
    return asyncio.run(_learned(settings.database_url, settings.kb_dir, export=args.export))


async def _learned(database_url: str, kb_dir: Path, *, export: bool) -> int:
    from knowledge.learned_export import Accepted, export_learned
    from storage.db import Database
    from storage.editorial.learned import LearnedRepository

    database = Database(database_url)
    try:
        await database.upgrade()
        async with database.session() as session:
            pending = await LearnedRepository(session).pending()
        for record in pending:
            print(f"{record.entry_id}\t{record.question}")
        if not export:
            print(f"{len(pending)} accepted question(s) not in the files yet")
            return 0
        accepted = [Accepted(r.id, r.question, r.entry_id) for r in pending]
        result = export_learned(kb_dir, accepted)
        async with database.session() as session:  # after the files: a rerun adds nothing twice
            await LearnedRepository(session).mark_exported(result.exported)
    finally:
        await database.dispose()
    for path in result.files:
        print(f"written: {path}")
    for path in result.refused:
        print(f"left alone (layout would change, edit by hand): {path}")
    for item in result.missing:
        print(f"no entry {item.entry_id!r} in {kb_dir}; kept for later: {item.question}")
    print(f"{len(result.exported)} question(s) exported; run `digilotse kb reload` after review")
    return 1 if result.refused or result.missing else 0
