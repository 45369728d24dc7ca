"""``digilotse export checks --format csv``: check results for the Gemeindetag (no Telegram ids)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``export checks``."""
    parser = subparsers.add_parser("export", help="Daten exportieren")
    export = parser.add_subparsers(dest="export_command", required=True)
    checks = export.add_parser("checks", help="Ergebnisse des Digitalisierungs-Checks")
    checks.add_argument("--format", choices=["csv"], default="csv")
    checks.add_argument("--output", help="Datei (Standard: Ausgabe auf stdout)")
    checks.set_defaults(handler=run_checks)


def run_checks(args: argparse.Namespace) -> int:
    """Write every stored check result as CSV."""
    content = asyncio.run(_export())
    if args.output:
        with open(args.output, "wb") as handle:
            handle.write(content)
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


async def _export() -> bytes:
    from bot.features.check.export import results_csv
    from bot.settings import load_settings
    from bot.stores.check import DatabaseCheckStore
    from knowledge.check.model import load_questionnaire
    from storage import Database

    database = Database(load_settings().database_url)
    try:
        await database.upgrade()
        results = await DatabaseCheckStore(database).results()
    finally:
        await database.dispose()
    return results_csv(results, load_questionnaire())
