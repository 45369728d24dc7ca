"""``digilotse events list|add|announce|attendees``: network events from the command line.

``announce`` queues the broadcast in the database; the running bot's worker sends it and
reports to the admin chat, exactly as after "Jetzt senden".
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``events`` and its sub-commands."""
    parser = subparsers.add_parser("events", help="Netzwerk-Termine verwalten")
    commands = parser.add_subparsers(dest="events_command", required=True)
    commands.add_parser("list", help="kommende Termine").set_defaults(handler=_run, action="list")
    add = commands.add_parser("add", help="Termin anlegen: 'Titel | JJJJ-MM-TT HH:MM | Ort | Text'")
    add.add_argument("spec")
    add.set_defaults(handler=_run, action="add")
    announce = commands.add_parser("announce", help="Ankündigung an alle Abonnenten senden")
    announce.add_argument("event_id", type=int)
    announce.add_argument(
        "--admin-chat", type=int, help="Chat für den Bericht (Standard: ADMIN_IDS)"
    )
    announce.set_defaults(handler=_run, action="announce")
    attendees = commands.add_parser("attendees", help="Rückmeldungen zu einem Termin")
    attendees.add_argument("event_id", type=int)
    attendees.add_argument("--format", choices=("text", "csv"), default="text")
    attendees.set_defaults(handler=_run, action="attendees")


def _run(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    settings = load_settings()
    return asyncio.run(_dispatch(args, settings))


async def _dispatch(args: argparse.Namespace, settings: Any) -> int:
    from bot.dialogue.texts import load_texts
    from bot.features.events.announcement import ParseProblem, format_when, parse_announcement
    from bot.features.events.render import EventRenderer, view
    from bot.stores.events import DatabaseEventStore
    from storage.db import Database
    from storage.types import utcnow

    database = Database(settings.database_url)
    store = DatabaseEventStore(database)
    try:
        await database.upgrade()
        if args.action == "list":
            for event in await store.upcoming(utcnow(), 100, published_only=False):
                counts = await store.counts(event.id)
                when = format_when(event.starts_at, settings.zone, load_texts())
                print(f"{event.id}\t{when}\t{event.title}\tja={counts.yes} nein={counts.no}")
            return 0
        if args.action == "add":
            parsed = parse_announcement(args.spec, settings.zone, utcnow())
            if isinstance(parsed, ParseProblem):
                print(f"digilotse: {parsed.key} {parsed.field}".strip(), file=sys.stderr)
                return 1
            print((await store.add_event(parsed)).id)
            return 0
        if args.action == "announce":
            found = await store.event(args.event_id, published_only=False)
            chat = args.admin_chat or min(settings.admin_ids, default=None)
            if found is None or chat is None:
                print("digilotse: unknown event or no --admin-chat/ADMIN_IDS", file=sys.stderr)
                return 1
            html = EventRenderer(load_texts(), settings.zone).announcement(view(found))
            announcement, _ = await store.draft_announcement(found.id, html, chat)
            print(f"queued for {await store.start_broadcast(announcement.id)} subscribers")
            return 0
        writer = csv.writer(sys.stdout)
        if args.format == "csv":
            writer.writerow(["event_id", "telegram_user_id", "answer", "updated_at"])
        for answer in await store.attendees(args.event_id):
            row = [args.event_id, answer.telegram_user_id, "yes" if answer.attending else "no"]
            if args.format == "csv":
                writer.writerow([*row, answer.updated_at.isoformat()])
            else:
                print(f"{row[1]}\t{row[2]}")
        return 0
    finally:
        await database.dispose()
