"""``digilotse calls list|add|import``: the Förderradar's funding calls from the command line.

Calls recorded here are published at once, with the rules of ``/foerderaufruf``. With
``--announce`` each new call is also queued to its radar subscribers through the outbox; the
running bot's worker sends it and reports to the admin chat, exactly as after "Jetzt senden".
Without it subscribers still get the reminder 14 days before the deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.stores.funding import DatabaseFundingStore

REQUIRED = {
    "--title": "Titel",
    "--deadline": "Frist, JJJJ-MM-TT (letzter Tag, deutsche Zeit)",
    "--url": "Link zur Quelle",
    "--description": "Beschreibung",
}
DETAILS = {
    "--topic": "Thema (z. B. breitband)",
    "--funder": "Fördergeber",
    "--eligible": "wer antragsberechtigt ist",
    "--amount": "Höhe oder Quote",
    "--stand": "Stand der Angaben, JJJJ-MM-TT",
}


def add_parser(subparsers: Any) -> None:
    """Register ``calls`` and its sub-commands."""
    parser = subparsers.add_parser("calls", help="Förderaufrufe (Förderradar) verwalten")
    commands = parser.add_subparsers(dest="calls_command", required=True)
    listing = commands.add_parser("list", help="alle Aufrufe mit Status und Frist")
    listing.add_argument("--format", choices=("text", "csv"), default="text")
    listing.set_defaults(handler=_run, action="list")
    add = commands.add_parser("add", help="einen Aufruf eintragen und veröffentlichen")
    for name, help_text in REQUIRED.items():
        add.add_argument(name, required=True, help=help_text)
    for name, help_text in DETAILS.items():
        add.add_argument(name, default="", help=help_text)
    _common(add)
    add.set_defaults(handler=_run, action="add")
    load = commands.add_parser(
        "import",
        help="Aufrufe aus einer CSV-Datei (Tabelle) eintragen",
        description="Kopfzeile mit den Spalten title, deadline (JJJJ-MM-TT), url, description "
        "und optional topic, funder, eligible, amount, stand (JJJJ-MM-TT); UTF-8 (auch mit BOM), "
        "Trennzeichen , oder ;. Ist eine Zeile ungültig, wird nichts übernommen.",
    )
    load.add_argument("file", type=Path)
    load.add_argument("--format", choices=("csv",), required=True)
    _common(load)
    load.set_defaults(handler=_run, action="import")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--announce", action="store_true", help="auch an Abonnenten senden")
    parser.add_argument("--admin-chat", type=int, help="Chat für Berichte (Standard: ADMIN_IDS)")


def _run(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    return asyncio.run(_dispatch(args, load_settings()))


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.calls_record import add_call, import_calls
    from bot.stores.funding import DatabaseFundingStore
    from storage.db import Database
    from storage.types import utcnow

    today = utcnow().astimezone(settings.zone).date()
    database = Database(settings.database_url)
    try:
        await database.upgrade()
        store = DatabaseFundingStore(database)
        if args.action == "list":
            return await _list(store, today, args.format)
        chat = args.admin_chat or min(settings.admin_ids, default=None)
        if chat is None:
            print("digilotse: no --admin-chat and no ADMIN_IDS", file=sys.stderr)
            return 1
        if args.action == "add":
            return await add_call(store, args, chat, today)
        return await import_calls(store, args.file, chat, today, announce=args.announce)
    finally:
        await database.dispose()


async def _list(store: DatabaseFundingStore, today: date, output: str) -> int:
    """Every call: id, status (``expired`` once a published call's deadline passed), deadline,
    title; as CSV with every column ``calls import`` reads."""
    from bot.features.funding.sheet import COLUMNS

    writer = csv.writer(sys.stdout)
    if output == "csv":
        writer.writerow(["id", "status", *COLUMNS])
    for call in await store.all_calls():
        status = "expired" if call.status == "published" and call.deadline < today else call.status
        if output == "text":
            print(f"{call.id}\t{status}\t{call.deadline}\t{call.title}")
            continue
        details = (call.topic, call.funder, call.eligible, call.amount, call.stand)
        cells = (call.title, call.deadline, call.url, call.description, *details)
        writer.writerow([call.id, status, *("" if cell is None else str(cell) for cell in cells)])
    return 0
