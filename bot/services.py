"""The one composition root: settings in, a running engine with its database and NLU out.

Both adapters (Telegram and the terminal chat) start here, so they run the same engine over the
same storage and features.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import build_engine, load_knowledge
from bot.dialogue.engine import Engine
from bot.dialogue.texts import Texts, load_texts
from bot.features import FeatureContext, build_features
from bot.metrics import METRICS, CountingQuestionLog
from bot.persistence import StoragePorts
from bot.settings import Settings
from nlu.select import aclose, build_nlu
from nlu.types import NluBackend
from storage.db import Database


@dataclass(frozen=True)
class Services:
    """Everything an adapter needs; ``close`` releases what ``open_services`` acquired."""

    settings: Settings
    database: Database
    texts: Texts
    ports: StoragePorts
    nlu: NluBackend
    engine: Engine

    async def close(self) -> None:
        """Write queued question-log rows, close NLU connections and the database pool."""
        await self.ports.close()
        await aclose(self.nlu)
        await self.database.dispose()


async def open_services(settings: Settings) -> Services:
    """Upgrade the database schema, load content and NLU, wire the engine with every feature."""
    database = Database(settings.database_url)
    await database.upgrade()
    database.remember_file()
    texts = load_texts()
    ports = StoragePorts(
        database, settings.pseudonym_secret.get_secret_value(), settings.question_retention_days
    )
    rasa_token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
    nlu = build_nlu(settings.nlu_backend, settings.rasa_url, rasa_token)
    knowledge = load_knowledge()
    features = build_features(FeatureContext(settings, database, ports, texts, knowledge))
    engine = build_engine(
        knowledge,
        nlu,
        texts=texts,
        question_log=CountingQuestionLog(ports, METRICS),
        feedback_log=ports,
        features=features,
        recent=ports,
    )
    return Services(settings, database, texts, ports, nlu, engine)
