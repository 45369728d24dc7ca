"""``digilotse chat``: the terminal conversation (same engine and storage as Telegram)."""

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
    from bot.dialogue.texts import load_texts
    from bot.features import FeatureContext, build_features
    from bot.persistence import StoragePorts
    from bot.settings import configure_logging, load_settings
    from bot.terminal import TERMINAL_USER_ID, TerminalChat
    from nlu.select import build_nlu
    from storage.db import Database

    settings = load_settings()
    configure_logging("WARNING")
    database = Database(settings.database_url)
    await database.upgrade()
    texts = load_texts()
    secret = settings.pseudonym_secret.get_secret_value()
    ports = StoragePorts(database, secret, settings.question_retention_days)
    await ports.touch_user(TERMINAL_USER_ID, TERMINAL_USER_ID)
    knowledge = load_knowledge()
    rasa_token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
    nlu = build_nlu(settings.nlu_backend, settings.rasa_url, rasa_token)
    features = build_features(FeatureContext(settings, database, ports, texts, knowledge))
    engine = build_engine(
        knowledge, nlu, texts=texts, question_log=ports, feedback_log=ports, features=features
    )
    print("Digilotse im Terminal – Zahlen wählen Schaltflächen, /quit beendet.\n")
    try:
        await TerminalChat(engine.handle, sys.stdin, sys.stdout).run(greet=engine.welcome())
    finally:
        await database.dispose()
    return 0
