"""The re-check question's sweep against the Telegram stand-in and a real database (both backends).

Each "bot run" is a real PTB Application with its JobQueue and ``CheckReminders`` registered in
it; sweeps run the real job. Time is a hand-moved clock, so nothing comes due by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.ext import Application, JobQueue

from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming
from bot.features.check.recheck import recheck_due
from bot.settings import Settings
from bot.stores.bundle import Stores
from bot.stores.users import UserDirectory
from bot.telegram.broadcast import Pacer
from bot.telegram.check_reminders import STARTUP_JOB, SWEEP_JOB, CheckReminders
from bot.telegram.sweep import Sender
from storage import Database, UserRepository
from storage.check.records import CheckResultRecord
from storage.check.reminders import CheckReminderRepository
from storage.check.repository import CheckRepository
from tests.bot.conftest import embedded_nlu, knowledge
from tests.storage.clock import ManualClock
from tests.telegram_standin import SentMessage, StandinServer

App = Application[Any, Any, Any, Any, Any, Any]

USER = 4711
FINISHED = datetime(2040, 3, 5, 14, 0, tzinfo=UTC)
DUE = recheck_due(FINISHED)  # 2041-03-05, 10:00 in Berlin


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        server.add_user(USER)
        yield server


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(DUE)


@asynccontextmanager
async def _bot_run(
    standin: StandinServer, database: Database, clock: ManualClock
) -> AsyncIterator[App]:
    """One run of the bot; its scheduler stays stopped unless the test starts it."""
    application: App = standin.application_builder().build()
    async with application:
        users = UserDirectory(database)
        texts = load_texts()
        sender = Sender(application.bot, database, Pacer(1000), users, clock)
        reminders = CheckReminders(sender, texts)
        reminders.start(_job_queue(application))
        yield application


def _job_queue(application: App) -> JobQueue[Any]:
    job_queue = application.job_queue
    assert job_queue is not None
    return job_queue


async def _sweep(application: App) -> None:
    """Run the ``check-reminders`` job once, as its interval does."""
    (job,) = _job_queue(application).get_jobs_by_name(SWEEP_JOB)
    await job.run(application)


async def _finished_check(database: Database, user: int = USER) -> int:
    """A finished check of Musterhausen with its result and the question planned at ``DUE``."""
    async with database.session() as session:
        await UserRepository(session).touch(user, user)
        checks = CheckRepository(session)
        check = await checks.start(user, "2025.1")
        await checks.set_status(check.id, "finished")
        dimensions: dict[str, float | None] = {"strategie": 2.0}
        await checks.save_result(
            CheckResultRecord(
                check.id, "Musterhausen", "musterhausen", 1, "2025.1", 2.0, 2, dimensions, FINISHED
            )
        )
        await CheckReminderRepository(session).schedule(user, user, check.id, DUE)
    return check.id


def _questions(standin: StandinServer, user: int = USER) -> list[SentMessage]:
    return [m for m in standin.messages_to(user) if m.method == "sendMessage"]


async def test_due_question_is_sent_once_with_a_check_button_and_nein_danke(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """A second sweep finds the question claimed and sends nothing."""
    check_id = await _finished_check(database)
    async with _bot_run(standin, database, clock) as application:
        await _sweep(application)
        await _sweep(application)
    (question,) = _questions(standin)
    assert question.parse_mode == "HTML"
    assert "möchten Sie den Digitalisierungs-Check wiederholen?" in (question.plain_text or "")
    assert "Am 05.03.2040 haben Sie den Check für Musterhausen abgeschlossen" in (
        question.plain_text or ""
    )
    assert question.callback_data == [f"ck:ry:{check_id}", f"ck:rn:{check_id}"]


async def test_question_not_yet_due_waits_until_its_moment(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """A minute early nothing goes out; at the moment itself it does."""
    await _finished_check(database)
    clock.now = DUE - timedelta(minutes=1)
    async with _bot_run(standin, database, clock) as application:
        await _sweep(application)
        assert _questions(standin) == []
        clock.advance(minutes=1)
        await _sweep(application)
    assert len(_questions(standin)) == 1


async def test_restart_after_sending_never_asks_again(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """The claim is in the database: a new process (or a second instance) finds nothing due."""
    await _finished_check(database)
    async with _bot_run(standin, database, clock) as application:
        await _sweep(application)
    clock.advance(days=30)
    async with _bot_run(standin, database, clock) as application:
        await _sweep(application)
    assert len(_questions(standin)) == 1


async def test_two_instances_sweeping_at_once_ask_once(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """Both find the row due; only one claims it."""
    await _finished_check(database)
    async with (
        _bot_run(standin, database, clock) as one,
        _bot_run(standin, database, clock) as other,
    ):
        await asyncio.gather(_sweep(one), _sweep(other))
    assert len(_questions(standin)) == 1


async def test_loeschen_removes_the_planned_question(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """After /loeschen (confirmed) the due moment passes without a message."""
    await _finished_check(database)
    stores = Stores.open(database, "test-secret", retention_days=90)
    texts = load_texts()
    settings = Settings(pseudonym_secret="test-secret")
    parts = EngineParts(settings, database, stores, texts, embedded_nlu(), stores.questions)
    engine = wire_engine(parts, knowledge())[0]
    try:
        deleted = await engine.handle(Incoming(USER, USER, button="del:yes"))
    finally:
        await stores.questions.close()
    assert "Geplante Erinnerung an einen neuen Check: 1" in deleted.replies[0].html
    async with _bot_run(standin, database, clock) as application:
        await _sweep(application)
    assert _questions(standin) == []


async def test_blocked_user_is_marked_inactive_and_others_are_still_asked(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """A 403 costs only that user's question; the user is no longer counted as reachable."""
    standin.add_user(USER + 1)
    standin.block_user(USER)
    await _finished_check(database)
    await _finished_check(database, USER + 1)
    async with _bot_run(standin, database, clock) as application:
        await _sweep(application)
    assert len(_questions(standin, USER + 1)) == 1
    assert [(c.chat_id, c.status) for c in standin.sent if not c.ok] == [(USER, 403)]
    async with database.session() as session:
        blocked = await UserRepository(session).get(USER)
    assert blocked is not None
    assert not blocked.is_active


async def test_start_up_sweep_asks_an_overdue_question_as_soon_as_the_queue_starts(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """Down at the due moment: the question goes out right after the next start."""
    await _finished_check(database)
    clock.advance(days=3)
    async with _bot_run(standin, database, clock) as application:
        job_queue = _job_queue(application)
        assert job_queue.get_jobs_by_name(STARTUP_JOB)
        await job_queue.start()
        try:
            await standin.async_wait_for_message(USER, "wiederholen?", timeout=10)
        finally:
            await job_queue.stop()
