"""Fixtures for the dialogue engine: the real knowledge base, retriever, NLU and SQLite storage."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from functools import cache
from pathlib import Path

import pytest

from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.features.knowledge.live import close_build_pool
from bot.features.knowledge.loading import Knowledge, load_knowledge
from bot.settings import Settings
from bot.stores.bundle import Stores
from nlu.embedded import EmbeddedNlu
from storage import Database


@pytest.fixture(scope="session", autouse=True)
def no_build_process_left() -> Iterator[None]:
    """Reload tests share one content build process; it is stopped when the session ends."""
    yield
    close_build_pool()


@cache
def knowledge() -> Knowledge:
    """Loaded once per test session (read-only)."""
    return load_knowledge()


@cache
def embedded_nlu() -> EmbeddedNlu:
    """Trained once per test session (read-only)."""
    return EmbeddedNlu.load()


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh SQLite database at the newest schema."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'engine.sqlite3'}")
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
async def stores(sqlite_database: Database) -> AsyncIterator[Stores]:
    """The cross-feature stores on the fresh database."""
    found = Stores.open(sqlite_database, "test-secret", retention_days=90)
    yield found
    await found.close()


@pytest.fixture
def engine(stores: Stores, sqlite_database: Database) -> Engine:
    """The engine as the adapters build it, with every feature."""
    texts = load_texts()
    settings = Settings(pseudonym_secret="test-secret")
    parts = EngineParts(settings, sqlite_database, stores, texts, embedded_nlu(), stores.questions)
    engine, _ = wire_engine(parts, knowledge())
    return engine
