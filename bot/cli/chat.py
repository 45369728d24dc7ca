"""``digilotse chat``: talk to the assistant in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``chat``."""
    parser = subparsers.add_parser("chat", help="Unterhaltung im Terminal")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the terminal conversation."""
    return asyncio.run(_chat())


async def _chat() -> int:
    from bot.core import build_engine, load_knowledge
    from bot.settings import configure_logging, load_settings
    from bot.terminal import TerminalChat
    from nlu.select import build_nlu

    settings = load_settings()
    configure_logging("WARNING")
    nlu = build_nlu(settings.nlu_backend, settings.rasa_url, settings.rasa_token)
    engine = build_engine(load_knowledge(), nlu)
    print("Digilotse im Terminal – Zahlen wählen Schaltflächen, /quit beendet.\n")
    await TerminalChat(engine.handle, sys.stdin, sys.stdout).run(greet=engine.welcome())
    return 0
