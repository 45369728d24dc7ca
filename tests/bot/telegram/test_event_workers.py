"""The once-only work follows leadership: jobs and the broadcast worker start and stop with it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import Application, Defaults, JobQueue

from bot.dialogue.texts import load_texts
from bot.features.events.render import EventRenderer
from bot.metrics import METRICS
from bot.stores.users import UserDirectory
from bot.telegram import check_reminders
from bot.telegram.broadcast import BroadcastConfig, Broadcaster
from bot.telegram.check_reminders import CheckReminders
from bot.telegram.event_workers import PURGE_JOB, OnceOnlyWork
from bot.telegram.reminders import STARTUP_JOB, SWEEP_JOB, Reminders
from bot.telegram.sweep import Sender
from storage import Database
from storage.events.repository import EventRepository
from storage.types import utcnow
from tests.bot.telegram.test_broadcast import ADMIN, _deliveries, _queue, _until_done
from tests.telegram_standin import StandinServer

App = Application[Any, Any, Any, Any, Any, Any]
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        server.add_user(ADMIN)
        yield server


@pytest.fixture
async def work(
    standin: StandinServer, database: Database
) -> AsyncIterator[tuple[OnceOnlyWork, JobQueue[Any]]]:
    """The leader's work in a real Application whose scheduler is not running."""
    application: App = standin.application_builder().defaults(Defaults(tzinfo=BERLIN)).build()
    async with application:
        render = EventRenderer(load_texts(), BERLIN)
        config = BroadcastConfig(pace=400, poll_interval=0.05, progress_interval=0.2)
        users = UserDirectory(database)
        broadcaster = Broadcaster(application.bot, database, render, config, users)
        sender = Sender(application.bot, database, broadcaster.pacer, users)
        scheduled = (Reminders(sender, render), CheckReminders(sender, render.texts))
        job_queue = application.job_queue
        assert job_queue is not None
        yield OnceOnlyWork(broadcaster, scheduled, job_queue), job_queue
        await broadcaster.stop()


def _jobs(job_queue: JobQueue[Any]) -> list[str]:
    return sorted(str(job.name).split(":")[0] for job in job_queue.jobs())


def _leader_metric() -> str:
    return next(
        line
        for line in METRICS.render()[0].decode().splitlines()
        if line.startswith("digilotse_leader ")
    )


async def test_leading_plans_sweeps_reminders_rechecks_and_purge_and_following_drops_all(
    work: tuple[OnceOnlyWork, JobQueue[Any]], database: Database
) -> None:
    """A replica that stops leading keeps no job that could send or delete (re-checks too)."""
    once, job_queue = work
    async with database.session() as session:
        await EventRepository(session).add_event(
            "T", utcnow().replace(year=2040), "Ort", "B", (60,)
        )
    await once.lead()
    (startup,) = job_queue.get_jobs_by_name(STARTUP_JOB)
    await startup.run(job_queue.application)  # plans the event's reminder
    assert _jobs(job_queue) == sorted(
        [
            "reminder",
            PURGE_JOB,
            STARTUP_JOB,
            SWEEP_JOB,
            check_reminders.STARTUP_JOB,
            check_reminders.SWEEP_JOB,
        ]
    )
    assert _leader_metric() == "digilotse_leader 1.0"
    await once.follow()
    assert _jobs(job_queue) == []
    assert _leader_metric() == "digilotse_leader 0.0"


async def test_a_replica_that_leads_again_sends_again(
    work: tuple[OnceOnlyWork, JobQueue[Any]], database: Database, standin: StandinServer
) -> None:
    """Lead, follow, lead: the broadcast worker restarts and finishes the announcement."""
    once, _ = work
    await once.lead()
    await once.follow()
    announcement_id = await _queue(database, standin, users=30, blocked=0)
    await once.lead()
    await _until_done(database, announcement_id)
    assert sum(_deliveries(standin).values()) == 30
    await once.follow()
