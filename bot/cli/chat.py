"""``digilotse chat``: the terminal conversation (same engine and storage as Telegram)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``chat``."""
    parser = subparsers.add_parser("chat", help="Unterhaltung im Terminal")
    parser.add_argument(
        "--dateien",
        type=Path,
        default=Path("data") / "berichte",
        help="Ordner für Netzdiagramm und Bericht des Checks (Standard: data/berichte)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the terminal conversation."""
    return asyncio.run(_chat(args.dateien.resolve()))


async def _chat(files: Path) -> int:
    from bot.app.compose import open_services
    from bot.dialogue.texts import to_plain
    from bot.settings import configure_logging, load_settings
    from bot.terminal import TERMINAL_USER_ID, TerminalChat
    from knowledge.markup import escape

    settings = load_settings()
    configure_logging("WARNING")
    services = await open_services(settings)
    await services.stores.users.touch_user(TERMINAL_USER_ID, TERMINAL_USER_ID)
    engine = services.engine
    texts = services.texts
    print(to_plain(texts["terminal_intro"]))
    print(to_plain(texts.format("terminal_files", folder=escape(str(files)))) + "\n")
    try:
        chat = TerminalChat(engine.handle, sys.stdin, sys.stdout, files)
        await chat.run(greet=engine.welcome())
    finally:
        await services.close()
    return 0
