"""The one composition root: settings in, a running engine with its database and NLU out.

Both adapters (Telegram and the terminal chat) start here, so they run the same engine over the
same storage and features.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.app.features import FeatureContext, build_features
from bot.dialogue.engine import Engine
from bot.dialogue.texts import Texts, load_texts
from bot.features.knowledge.live import (
    ContentReloader,
    close_build_pool,
    keep_out_of_collections,
    live_knowledge,
)
from bot.features.knowledge.loading import Knowledge, load_knowledge
from bot.features.knowledge.ports import QuestionLog
from bot.metrics import METRICS, CountingQuestionLog
from bot.settings import Settings
from bot.stores.bundle import Stores
from bot.stores.knowledge import DatabaseContentVersions, content_version, learned_questions
from nlu.select import aclose, build_nlu
from nlu.types import NluBackend
from storage.db import Database


@dataclass(frozen=True)
class Services:
    """Everything an adapter needs; ``close`` releases what ``open_services`` acquired."""

    settings: Settings
    database: Database
    texts: Texts
    stores: Stores
    nlu: NluBackend
    engine: Engine
    content: ContentReloader

    async def close(self) -> None:
        """Write queued question-log rows, close NLU connections and the database pool, stop
        the content build process."""
        await self.stores.close()
        await aclose(self.nlu)
        await self.database.dispose()
        await asyncio.to_thread(close_build_pool)  # waits for a build that is running


@dataclass(frozen=True)
class EngineParts:
    """What the engine is wired from (the adapters and the tests share this wiring)."""

    settings: Settings
    database: Database
    stores: Stores
    texts: Texts
    nlu: NluBackend
    question_log: QuestionLog


def wire_engine(
    parts: EngineParts, knowledge: Knowledge, seen: int | None = None
) -> tuple[Engine, ContentReloader]:
    """The engine answering from live, reloadable knowledge, and the reloader that swaps it."""
    live = live_knowledge(
        knowledge,
        parts.texts,
        parts.question_log,
        parts.stores.questions,
        parts.settings.kb_dir,
        recent=parts.stores.shown,
        picks=parts.stores.questions,
        learned=lambda: learned_questions(parts.database),
    )
    content = ContentReloader(live, DatabaseContentVersions(parts.database), seen)
    context = FeatureContext(parts.settings, parts.database, parts.stores, parts.texts, content)
    engine = Engine(parts.nlu, live, parts.texts, build_features(context))
    return engine, content


async def open_services(settings: Settings) -> Services:
    """Upgrade the database schema, load content and NLU, wire the engine with every feature."""
    database = Database(settings.database_url)
    await database.upgrade()
    database.remember_file()
    texts = load_texts()
    stores = Stores.open(
        database, settings.pseudonym_secret.get_secret_value(), settings.question_retention_days
    )
    rasa_token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
    nlu = build_nlu(settings.nlu_backend, settings.rasa_url, rasa_token)
    question_log = CountingQuestionLog(stores.questions, METRICS)
    parts = EngineParts(settings, database, stores, texts, nlu, question_log)
    seen = await content_version(database)  # read before the files: an edit now is not missed
    knowledge = load_knowledge(settings.kb_dir, await learned_questions(database))
    engine, content = wire_engine(parts, knowledge, seen)
    keep_out_of_collections()  # the imports and the content live as long as the process
    return Services(settings, database, texts, stores, nlu, engine, content)
