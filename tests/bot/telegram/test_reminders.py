"""Event reminders against the Telegram stand-in and a real database (both backends).

Each "bot run" is a real PTB Application with its JobQueue and ``Reminders`` registered in it;
sweeps run the real ``reminders`` job. Time is a hand-moved clock years ahead, so nothing the
JobQueue plans comes due by itself while a test runs.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from telegram.ext import Application, Defaults, JobQueue

from bot.dialogue.texts import load_texts
from bot.features.events.announcement import reminder_job_name
from bot.features.events.render import EventRenderer
from bot.stores.users import UserDirectory
from bot.telegram.broadcast import Pacer
from bot.telegram.reminders import STARTUP_JOB, SWEEP_JOB, Reminders
from bot.telegram.sweep import Sender
from storage import Database, UserRepository
from storage.events.models import Event
from storage.events.records import EventRecord
from storage.events.repository import EventRepository
from tests.storage.clock import ManualClock
from tests.telegram_standin import StandinServer

App = Application[Any, Any, Any, Any, Any, Any]

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2040, 5, 7, 8, 0, tzinfo=UTC)  # a Monday
STARTS = datetime(2040, 5, 10, 16, 0, tzinfo=UTC)  # Thursday, 18:00 in Berlin
DAY, HOUR = 24 * 60, 60
TITLE = "Digitallotsen & Co"


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        yield server


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@asynccontextmanager
async def _bot_run(
    standin: StandinServer, database: Database, clock: ManualClock
) -> AsyncIterator[tuple[App, Reminders]]:
    """One run of the bot; its scheduler stays stopped unless the test starts it."""
    application: App = standin.application_builder().defaults(Defaults(tzinfo=BERLIN)).build()
    async with application:
        render = EventRenderer(load_texts(), BERLIN)
        users = UserDirectory(database)
        reminders = Reminders(Sender(application.bot, database, Pacer(1000), users, clock), render)
        reminders.start(_job_queue(application))
        yield application, reminders


def _job_queue(application: App) -> JobQueue[Any]:
    job_queue = application.job_queue
    assert job_queue is not None
    return job_queue


async def _sweep(application: App) -> None:
    """Run the ``reminders`` job once, as its interval does every minute."""
    (job,) = _job_queue(application).get_jobs_by_name(SWEEP_JOB)
    await job.run(application)


async def _event(
    database: Database,
    starts_at: datetime = STARTS,
    reminders: tuple[int, ...] = (DAY, HOUR),
    yes: Sequence[int] = (),
    no: Sequence[int] = (),
) -> EventRecord:
    async with database.session() as session:
        events = EventRepository(session)
        event = await events.add_event(TITLE, starts_at, "Rathaus Esslingen", "B", reminders)
        for users, attending in ((yes, True), (no, False)):
            for user in users:
                await events.set_rsvp(user, user, event.id, attending)
    return event


def _deliveries(standin: StandinServer) -> Counter[int]:
    return Counter(
        int(call.chat_id or 0) for call in standin.sent if call.ok and call.method == "sendMessage"
    )


def _texts_to(standin: StandinServer, chat_id: int) -> list[str]:
    return [message.plain_text or "" for message in standin.messages_to(chat_id)]


def _planned(application: App) -> list[str]:
    return sorted(str(job.name) for job in _job_queue(application).jobs("^reminder:"))


async def _is_active(database: Database, user: int) -> bool:
    async with database.session() as session:
        found = await UserRepository(session).get(user)
    assert found is not None
    return found.is_active


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - the scheduler runs on this loop
            await asyncio.sleep(0.01)


async def test_reminder_reaches_every_yes_with_title_and_berlin_time_and_nobody_else(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    for user in range(1, 7):
        standin.add_user(user)
    event = await _event(database, yes=(1, 2, 4), no=(3,))
    await _event(database, STARTS + timedelta(days=1), yes=(6,))
    async with database.session() as session:
        events = EventRepository(session)
        await events.set_rsvp(4, 4, event.id, False)  # changed their mind
        await events.set_subscription(5, 5, True)  # subscribed, never answered
    async with _bot_run(standin, database, clock) as (_, reminders):
        assert await reminders.send(event, [HOUR]) == 2
    assert _deliveries(standin) == Counter({1: 1, 2: 1})
    (text,) = _texts_to(standin, 1)
    assert f"in 1 Stunde beginnt „{TITLE}“" in text
    assert "Do, 10.05.2040, 18:00 Uhr" in text
    assert "Rathaus Esslingen" in text


async def test_sending_again_or_after_a_restart_never_repeats_a_reminder(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    standin.add_user(1)
    standin.add_user(2)
    event = await _event(database, yes=(1, 2))
    async with _bot_run(standin, database, clock) as (_, first_run):
        assert await first_run.send(event, [HOUR]) == 2
        assert await first_run.send(event, [HOUR]) == 0
    async with _bot_run(standin, database, clock) as (_, after_restart):
        assert await after_restart.send(event, [HOUR]) == 0
        assert await after_restart.send(event, [DAY, HOUR]) == 2  # only the day-before is new
    assert _deliveries(standin) == Counter({1: 2, 2: 2})
    assert "in 1 Tag beginnt" in _texts_to(standin, 1)[-1]


async def test_two_instances_sending_at_once_deliver_each_reminder_once(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    for user in (1, 2, 3):
        standin.add_user(user)
    event = await _event(database, yes=(1, 2, 3))
    async with (
        _bot_run(standin, database, clock) as (_, one),
        _bot_run(standin, database, clock) as (_, other),
    ):
        reached = await asyncio.gather(one.send(event, [HOUR]), other.send(event, [HOUR]))
    assert sorted(reached) == [0, 3]
    assert _deliveries(standin) == Counter({1: 1, 2: 1, 3: 1})


async def test_sweeping_twice_and_after_a_restart_sends_each_reminder_once(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    standin.add_user(1)
    await _event(database, yes=(1,))
    clock.now = STARTS - timedelta(hours=23)  # the day-before reminder is due
    async with _bot_run(standin, database, clock) as (application, _):
        await _sweep(application)
        await _sweep(application)
    assert _deliveries(standin) == Counter({1: 1})
    async with _bot_run(standin, database, clock) as (application, _):
        await _sweep(application)
        assert _deliveries(standin) == Counter({1: 1})
        clock.now = STARTS - timedelta(minutes=30)  # now the hour-before one is due as well
        await _sweep(application)
        await _sweep(application)
    assert _deliveries(standin) == Counter({1: 2})
    first, second = _texts_to(standin, 1)
    assert "in 23 Stunden beginnt" in first  # sent late: the time actually left, not "1 Tag"
    assert "in 30 Minuten beginnt" in second


async def test_reminder_missed_while_down_is_sent_late_unless_the_event_has_started(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    standin.add_user(1)
    standin.add_user(2)
    started = await _event(database, NOW + timedelta(hours=2), (HOUR,), yes=(1,))
    later = await _event(database, NOW + timedelta(hours=26), (DAY, HOUR), yes=(2,))
    clock.advance(hours=2, minutes=5)  # down: `started` began, `later`'s day-before moment passed
    async with _bot_run(standin, database, clock) as (application, _):
        await _sweep(application)
        assert _planned(application) == [reminder_job_name(later.id, later.starts_at, HOUR)]
    assert _deliveries(standin) == Counter({2: 1})
    assert f"in 1 Tag beginnt „{TITLE}“" in _texts_to(standin, 2)[0]
    async with database.session() as session:
        events = EventRepository(session)
        assert await events.sent_reminders(started.id) == set()
        assert await events.sent_reminders(later.id) == {DAY}


async def test_blocked_attendee_is_marked_inactive_and_the_others_still_get_it(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    for user in (1, 2, 3):
        standin.add_user(user)
    standin.block_user(2)  # user 4's chat is unknown to Telegram: a failure, but not a block
    event = await _event(database, yes=(1, 2, 3, 4))
    async with _bot_run(standin, database, clock) as (_, reminders):
        assert await reminders.send(event, [DAY]) == 2
        assert not await _is_active(database, 2)
        assert await _is_active(database, 4)
        assert await reminders.send(event, [HOUR]) == 2  # no longer tried for the blocked user
    assert _deliveries(standin) == Counter({1: 2, 3: 2})
    statuses = [(int(c.chat_id or 0), c.status) for c in standin.sent if not c.ok]
    assert sorted(statuses) == [(2, 403), (4, 400), (4, 400)]


async def test_sweep_plans_one_berlin_job_per_future_reminder_and_never_duplicates(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    first = await _event(database, STARTS, (DAY, HOUR))
    second = await _event(database, STARTS + timedelta(days=7), (HOUR,))
    await _event(database, NOW - timedelta(minutes=1), (HOUR,))  # already started
    expected = [
        (reminder_job_name(first.id, STARTS, DAY), "2040-05-09T18:00:00+02:00"),
        (reminder_job_name(first.id, STARTS, HOUR), "2040-05-10T17:00:00+02:00"),
        (reminder_job_name(second.id, second.starts_at, HOUR), "2040-05-17T17:00:00+02:00"),
    ]
    async with _bot_run(standin, database, clock) as (application, _):
        job_queue = _job_queue(application)
        await job_queue.start()  # the start-up sweep plans; then one sweep more
        try:
            await _until(lambda: _planned(application) == sorted(n for n, _ in expected))
            await _sweep(application)
            jobs = [(job.name, job.next_t) for job in job_queue.jobs("^reminder:")]
        finally:
            await job_queue.stop()
    planned = sorted((str(name), when.isoformat()) for name, when in jobs if when is not None)
    assert planned == sorted(expected)
    assert {when.tzinfo for _, when in jobs if when is not None} == {BERLIN}


async def test_start_up_sweep_runs_as_soon_as_the_job_queue_starts_however_late(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    standin.add_user(1)
    await _event(database, yes=(1,))
    clock.now = STARTS - timedelta(hours=23)  # the day-before reminder is overdue
    async with _bot_run(standin, database, clock) as (application, _):
        job_queue = _job_queue(application)
        (startup,) = job_queue.get_jobs_by_name(STARTUP_JOB)
        # PTB starts the queue after post_init, which may take a while: here an hour, far past
        # APScheduler's default one-second misfire grace, without waiting for it.
        startup.job.modify(next_run_time=datetime.now(UTC) - timedelta(hours=1))
        await job_queue.start()
        try:
            await standin.async_wait_for_message(1, "in 23 Stunden beginnt", timeout=10)
        finally:
            await job_queue.stop()


async def test_planned_reminder_sends_when_its_job_fires_and_only_once(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    standin.add_user(1)
    event = await _event(database, yes=(1,))
    async with _bot_run(standin, database, clock) as (application, _):
        await _sweep(application)
        assert _deliveries(standin) == Counter()
        (job,) = _job_queue(application).get_jobs_by_name(reminder_job_name(event.id, STARTS, HOUR))
        await job.run(application)
        await job.run(application)
    assert _deliveries(standin) == Counter({1: 1})
    assert f"in 1 Stunde beginnt „{TITLE}“" in _texts_to(standin, 1)[0]


async def test_reminder_planned_for_a_cancelled_event_never_fires_for_the_next_one(
    database: Database, standin: StandinServer, clock: ManualClock
) -> None:
    """The red team's case: plan 63 min ahead, cancel, draft 5 h ahead; nothing goes out early."""
    standin.add_user(1)
    cancelled = await _event(database, NOW + timedelta(minutes=63), (HOUR,))
    async with _bot_run(standin, database, clock) as (application, _):
        await _sweep(application)
        (stale,) = _job_queue(application).jobs("^reminder:")
        async with database.session() as session:
            await EventRepository(session).delete_event(cancelled.id)
        real = await _event(database, NOW + timedelta(hours=5), (HOUR,))
        await _same_id_as(database, real, cancelled.id)
        await stale.run(application)
    assert _deliveries(standin) == Counter()
    async with database.session() as session:
        assert await EventRepository(session).sent_reminders(cancelled.id) == set()


async def _same_id_as(database: Database, event: EventRecord, event_id: int) -> None:
    """Give ``event`` a reused id, as SQLite did before AUTOINCREMENT; user 1 says yes to it."""
    async with database.session() as session:
        await session.execute(update(Event).where(Event.id == event.id).values(id=event_id))
        await EventRepository(session).set_rsvp(1, 1, event_id, True)
