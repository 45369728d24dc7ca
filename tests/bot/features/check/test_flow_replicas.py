"""The check on two replicas sharing one PostgreSQL schema: the database decides."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable

import pytest

from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Turn
from bot.features.check.steps import PICK
from bot.settings import Settings
from bot.stores.bundle import Stores
from knowledge.check.model import load_questionnaire
from storage import Database
from storage.check.repository import CheckRepository
from tests.bot.check_driver import QUESTIONS, USER, Driver, start, text
from tests.bot.conftest import embedded_nlu, knowledge
from tests.storage.races import racing

pytestmark = pytest.mark.parametrize("migrated_database_url", ["postgres"], indirect=True)


async def _replica(database: Database) -> tuple[Engine, Stores]:
    """One replica's engine with every feature, on its own engine and pool."""
    texts = load_texts()
    stores = Stores.open(database, "test-secret", retention_days=90)
    settings = Settings(pseudonym_secret="test-secret")
    parts = EngineParts(settings, database, stores, texts, embedded_nlu(), stores.questions)
    engine, _ = wire_engine(parts, knowledge())
    return engine, stores


@pytest.fixture
async def drivers(
    database: Database, migrated_database_url: str
) -> AsyncIterator[tuple[Driver, Driver]]:
    """The same user talking to replica A and replica B (as a load balancer would route)."""
    other = Database(migrated_database_url)
    (engine_a, stores_a), (engine_b, stores_b) = await _replica(database), await _replica(other)
    await stores_a.users.touch_user(USER, USER)
    yield Driver(engine_a, USER), Driver(engine_b, USER)
    await stores_a.close()
    await stores_b.close()
    await other.dispose()


async def _racing(database: Database, *presses: Awaitable[Turn]) -> list[Turn]:
    """The presses, each having read the session before any of them may write it."""
    turns = await racing(database, "SELECT id FROM check_sessions FOR UPDATE", *presses)
    assert all(isinstance(turn, Turn) for turn in turns), turns
    return [turn for turn in turns if isinstance(turn, Turn)]


async def test_a_double_press_on_two_replicas_records_one_answer(
    drivers: tuple[Driver, Driver], database: Database
) -> None:
    """Both presses race; one is saved, the other is told it already was."""
    replica_a, replica_b = drivers
    await start(replica_a)
    data = replica_a.buttons["C"]
    turns = await _racing(database, replica_a.press_data(data), replica_b.press_data(data))
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


def _ticked(turn: Turn) -> set[str]:
    """Labels the turn's keyboard shows as picked."""
    labels = (b.label for reply in turn.replies for row in reply.buttons for b in row)
    return {label.removeprefix("✓ ") for label in labels if label.startswith("✓ ")}


async def test_two_areas_picked_at_once_on_two_replicas_are_both_kept(
    drivers: tuple[Driver, Driver], database: Database
) -> None:
    """A pick written from a stale read is refused and redone, so neither press is lost."""
    replica_a, replica_b = drivers
    await start(replica_a)
    for _ in range(QUESTIONS):
        await replica_a.press("C")
    replica_b.buttons = dict(replica_a.buttons)
    turns = await _racing(
        database, replica_a.press("Mobilität & Verkehr"), replica_b.press("Bildung & Lernen")
    )
    async with database.session() as session:
        found = await CheckRepository(session).unfinished(USER)
    assert found is not None
    names = {item.id: item.name for item in load_questionnaire().lebensbereiche}
    stored = {names[item] for item in found.context.get(PICK, [])}
    assert stored == {"Mobilität & Verkehr", "Bildung & Lernen"}
    assert _ticked(turns[0]) | _ticked(turns[1]) == stored
