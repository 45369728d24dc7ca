"""The re-check question through the real engine on SQLite and PostgreSQL: planned by a result,
"Check wiederholen" leads to a result with the change, "Nein danke" forgets it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.features.check.recheck import recheck_due, recheck_question
from bot.settings import Settings
from bot.stores.bundle import Stores
from bot.terminal import TERMINAL_USER_ID
from storage import Database
from storage.check.records import CheckReminderRecord, CheckResultRecord
from storage.check.reminders import CheckReminderRepository
from storage.check.repository import CheckRepository
from tests.bot.check_driver import OTHER, USER, Driver, answer_all, start, text
from tests.bot.conftest import embedded_nlu, knowledge

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture
async def stores(database: Database) -> AsyncIterator[Stores]:
    """The cross-feature stores on ``database``."""
    found = Stores.open(database, "test-secret", retention_days=90)
    yield found
    await found.close()


@pytest.fixture
def engine(database: Database, stores: Stores) -> Engine:
    """The engine with every feature on ``database``."""
    texts = load_texts()
    settings = Settings(pseudonym_secret="test-secret")
    parts = EngineParts(settings, database, stores, texts, embedded_nlu(), stores.questions)
    return wire_engine(parts, knowledge())[0]


@pytest.fixture
async def driver(engine: Engine, stores: Stores) -> Driver:
    """A user in their private chat."""
    await stores.users.touch_user(USER, USER)
    return Driver(engine, USER)


async def _planned(database: Database, now: datetime = FAR_FUTURE) -> list[CheckReminderRecord]:
    async with database.session() as session:
        return await CheckReminderRepository(session).due(now, 10)


async def _results(database: Database) -> list[CheckResultRecord]:
    async with database.session() as session:
        return await CheckRepository(session).results()


@pytest.mark.parametrize(
    ("finished", "asked"),
    [
        pytest.param("2026-12-03T15:00:00+00:00", "2027-12-03T09:00:00+00:00", id="winter"),
        pytest.param("2026-06-10T08:00:00+00:00", "2027-06-10T08:00:00+00:00", id="summer"),
        pytest.param("2028-02-29T12:00:00+00:00", "2029-02-28T09:00:00+00:00", id="29-february"),
        pytest.param("2026-12-31T23:30:00+00:00", "2028-01-01T09:00:00+00:00", id="berlin-day"),
    ],
)
def test_question_is_due_a_year_later_at_ten_in_berlin(finished: str, asked: str) -> None:
    """Twelve months after the Berlin date of the result, at 10:00 local time."""
    assert recheck_due(datetime.fromisoformat(finished)) == datetime.fromisoformat(asked)


async def test_finished_check_plans_the_question_a_year_later_in_the_private_chat(
    driver: Driver, database: Database
) -> None:
    """One row, for the private chat, due twelve months after the stored result."""
    await start(driver)
    await answer_all(driver)
    (result,) = await _results(database)
    due = recheck_due(result.finished_at)
    assert due - result.finished_at > timedelta(days=364)
    assert await _planned(database, due - timedelta(seconds=1)) == []
    (planned,) = await _planned(database, due)
    assert (planned.telegram_user_id, planned.chat_id) == (USER, USER)
    assert (planned.session_id, planned.due_at, planned.municipality) == (
        result.session_id,
        due,
        "Musterhausen",
    )


async def test_check_in_the_terminal_chat_plans_no_question(
    engine: Engine, stores: Stores, database: Database
) -> None:
    """``digilotse chat`` shares the database, but its user (0) has no Telegram chat."""
    await stores.users.touch_user(TERMINAL_USER_ID, TERMINAL_USER_ID)
    terminal = Driver(engine, TERMINAL_USER_ID)
    await start(terminal)
    await answer_all(terminal)
    assert len(await _results(database)) == 1
    assert await _planned(database) == []


async def test_check_wiederholen_leads_to_a_result_with_the_change_and_plans_anew(
    driver: Driver, database: Database
) -> None:
    """The question's first button is /check; the new result compares and re-plans."""
    await start(driver)
    await answer_all(driver, "B")
    (planned,) = await _planned(database)
    question = recheck_question(load_texts(), planned)
    turn = await driver.press_data(question.replies[0].buttons[0][0].data)
    assert "15–20 Minuten" in text(turn)
    await driver.say("Musterhausen")
    for label in ("3.000 – 9.999", "Ja", "IT", "unter 0,5"):
        await driver.press(label)
    turn = await answer_all(driver, "D")
    assert "Veränderung seit dem letzten Check" in text(turn)
    assert "Gesamt 1,0 → 3,0 (+2,0)" in text(turn)
    first, second = await _results(database)
    (replanned,) = await _planned(database)
    assert replanned.session_id == second.session_id != first.session_id
    assert replanned.due_at == recheck_due(second.finished_at)


async def test_nein_danke_forgets_this_question_only_for_its_owner(
    driver: Driver, database: Database
) -> None:
    """Another user's press and a press naming another result leave the question planned."""
    await start(driver)
    await answer_all(driver)
    (planned,) = await _planned(database)
    no = recheck_question(load_texts(), planned).replies[0].buttons[0][1].data
    assert no == f"ck:rn:{planned.session_id}"
    await Driver(driver.engine, OTHER).press_data(no)
    await driver.press_data(f"ck:rn:{planned.session_id + 1}")
    assert len(await _planned(database)) == 1
    turn = await driver.press_data(no)
    (reply,) = turn.replies
    assert reply.edit
    assert "frage ich nicht noch einmal" in reply.html
    assert await _planned(database) == []
