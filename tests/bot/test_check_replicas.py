"""The check on two replicas sharing one PostgreSQL schema: the database decides."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.core import build_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.features import FeatureContext, build_features
from bot.persistence import StoragePorts
from bot.settings import Settings
from storage import Database
from storage.check_repository import CheckRepository
from tests.bot.conftest import embedded_nlu, knowledge
from tests.bot.test_check_flow import USER, Driver, start, text

pytestmark = pytest.mark.parametrize("migrated_database_url", ["postgres"], indirect=True)


async def _replica(database: Database) -> tuple[Engine, StoragePorts]:
    """One replica's engine with every feature, on its own engine and pool."""
    texts = load_texts()
    ports = StoragePorts(database, "test-secret", retention_days=90)
    settings = Settings(pseudonym_secret="test-secret")  # type: ignore[arg-type]
    features = build_features(FeatureContext(settings, database, ports, texts, knowledge()))
    engine = build_engine(
        knowledge(),
        embedded_nlu(),
        texts=texts,
        question_log=ports,
        feedback_log=ports,
        features=features,
    )
    return engine, ports


@pytest.fixture
async def drivers(
    database: Database, migrated_database_url: str
) -> AsyncIterator[tuple[Driver, Driver]]:
    """The same user talking to replica A and replica B (as a load balancer would route)."""
    other = Database(migrated_database_url)
    (engine_a, ports_a), (engine_b, ports_b) = await _replica(database), await _replica(other)
    await ports_a.touch_user(USER, USER)
    yield Driver(engine_a, USER), Driver(engine_b, USER)
    await ports_a.close()
    await ports_b.close()
    await other.dispose()


async def test_a_double_press_on_two_replicas_records_one_answer(
    drivers: tuple[Driver, Driver], database: Database
) -> None:
    """Both presses race; one is saved, the other is told it already was."""
    replica_a, replica_b = drivers
    await start(replica_a)
    data = replica_a.buttons["C"]
    turns = await asyncio.gather(replica_a.press_data(data), replica_b.press_data(data))
    toasts = sorted(str(turn.toast) for turn in turns)
    assert toasts == ["Ihre Antwort ist bereits gespeichert.", "None"]
    async with database.session() as session:
        repository = CheckRepository(session)
        found = await repository.unfinished(USER)
        assert found is not None
        assert await repository.answers(found.id) == {"S1": 2}


async def test_a_check_started_on_one_replica_is_continued_on_the_other(
    drivers: tuple[Driver, Driver],
) -> None:
    """Replica A saw the user without a check; the name typed after B's /check still lands."""
    replica_a, replica_b = drivers
    await replica_a.say("Was ist ein Digitallotse?")  # A learns: no check open
    turn = await replica_b.say("/check")
    assert "15–20 Minuten" in text(turn)
    turn = await replica_a.say("Musterhausen")
    assert "Angaben zur Kommune" in text(turn)
