"""The once-only workers (broadcast, reminders, purge), run only by the leading replica.

``start_event_workers`` builds them and a :class:`LeaderLoop`: on PostgreSQL the replica that
holds the advisory lock runs them, the others wait to take over; on SQLite (one process) they
always run here.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, CallbackQueryHandler, ContextTypes, JobQueue

from bot.dialogue.events_render import EventRenderer
from bot.dialogue.texts import Texts
from bot.metrics import METRICS
from bot.retry import RetryPolicy
from bot.settings import Settings
from bot.telegram import handlers
from bot.telegram.broadcast import (
    GO_PATTERN,
    BroadcastConfig,
    Broadcaster,
    remember_control_message,
)
from bot.telegram.leader import LeaderLoop
from bot.telegram.reminders import Reminders
from storage.db import Database
from storage.leader import Leadership

logger = logging.getLogger(__name__)

CONTROL_GROUP = -1  # before the engine's handlers (group 0)
PURGE_INTERVAL = timedelta(hours=6)
PURGE_JOB = "purge"
LEADER = "leader"  # bot_data key of the LeaderLoop


def add_event_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Remember the preview message whose "Jetzt senden" was pressed (for progress edits)."""
    handler = CallbackQueryHandler(remember_control_message, pattern=GO_PATTERN)
    application.add_handler(handler, group=CONTROL_GROUP)


class OnceOnlyWork:
    """What only the leader does; ``lead`` starts it, ``follow`` stops it (both repeatable)."""

    def __init__(
        self,
        broadcaster: Broadcaster,
        reminders: Reminders,
        job_queue: JobQueue | None,  # type: ignore[type-arg]
    ) -> None:
        self.broadcaster = broadcaster
        self._reminders = reminders
        self._job_queue = job_queue

    async def lead(self) -> None:
        """Resume unfinished broadcasts, plan reminders, purge expired rows periodically."""
        await self.broadcaster.start()
        METRICS.leader.set(1)
        if self._job_queue is not None:
            self._reminders.start(self._job_queue)
            self._job_queue.run_repeating(
                _purge,
                interval=PURGE_INTERVAL,
                first=1,
                name=PURGE_JOB,
                # post_init runs before the JobQueue starts: run the first purge late, not never
                job_kwargs={"misfire_grace_time": None},
            )

    async def follow(self) -> None:
        """Stop sending (rows in flight are resumed by the next leader) and drop the jobs."""
        METRICS.leader.set(0)
        await self.broadcaster.stop()
        if self._job_queue is not None:
            self._reminders.stop(self._job_queue)
            for job in self._job_queue.get_jobs_by_name(PURGE_JOB):
                job.schedule_removal()


async def start_event_workers(
    application: Application,  # type: ignore[type-arg]
    database: Database,
    texts: Texts,
    settings: Settings,
) -> None:
    """Build the once-only workers and compete for leadership (a lone replica leads at once)."""
    render = EventRenderer(texts, settings.zone)
    broadcaster = Broadcaster(application.bot, database, render, broadcast_config(settings))
    reminders = Reminders(application.bot, database, render, broadcaster.pacer)
    work = OnceOnlyWork(broadcaster, reminders, application.job_queue)
    loop = LeaderLoop(Leadership(database), work.lead, work.follow)
    application.bot_data[LEADER] = loop
    await loop.start()


def broadcast_config(settings: Settings) -> BroadcastConfig:
    """The broadcast worker's tuning from the settings."""
    return BroadcastConfig(
        pace=settings.broadcast_pace,
        concurrency=settings.broadcast_concurrency,
        retry=RetryPolicy(
            base=settings.broadcast_retry_base,
            cap=max(settings.broadcast_retry_cap, settings.broadcast_retry_base),
            attempts=settings.broadcast_retry_attempts,
        ),
    )


async def stop_event_workers(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the workers and release leadership (unfinished rows resume on the next leader)."""
    loop: LeaderLoop | None = application.bot_data.get(LEADER)
    if loop is not None:
        await loop.stop()


async def _purge(context: ContextTypes.DEFAULT_TYPE) -> None:
    removed = await handlers.services(context).ports.purge_expired()
    if removed:
        logger.info("purged %d expired question-log rows", removed)
