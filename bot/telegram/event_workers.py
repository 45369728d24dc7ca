"""The once-only workers (broadcast, event reminders, re-check questions, purge), run only by
the leading replica, and the handler that remembers a broadcast's control message.

``start_event_workers`` builds them and a :class:`LeaderLoop`: on PostgreSQL the replica that
holds the advisory lock runs them, the others wait to take over; on SQLite (one process) they
always run here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from bot.dialogue.texts import Texts
from bot.features.events.render import EventRenderer
from bot.features.funding.render import FundingRenderer
from bot.metrics import METRICS
from bot.settings import Settings
from bot.stores.funding import DatabaseFundingStore
from bot.telegram import handlers
from bot.telegram.broadcast import BroadcastConfig, Broadcaster
from bot.telegram.check_reminders import CheckReminders
from bot.telegram.context import App, Context, Jobs
from bot.telegram.funding_reminders import FundingReminders
from bot.telegram.leader import LeaderLoop
from bot.telegram.reminders import Reminders
from bot.telegram.retry import RetryPolicy
from bot.telegram.send_policy import InactiveUsers
from bot.telegram.sweep import Sender
from storage.db import Database
from storage.leader import Leadership

logger = logging.getLogger(__name__)

PURGE_INTERVAL = timedelta(hours=6)
PURGE_JOB = "purge"


class Scheduled(Protocol):
    """A worker that lives in the JobQueue (the reminders' sweeps)."""

    def start(self, job_queue: Jobs) -> None:
        """Plan its jobs."""

    def stop(self, job_queue: Jobs) -> None:
        """Drop its jobs."""


class OnceOnlyWork:
    """What only the leader does; ``lead`` starts it, ``follow`` stops it (both repeatable)."""

    def __init__(
        self,
        broadcaster: Broadcaster,
        scheduled: Sequence[Scheduled],
        job_queue: Jobs | None,
    ) -> None:
        self.broadcaster = broadcaster
        self._scheduled = scheduled
        self._job_queue = job_queue

    async def lead(self) -> None:
        """Resume unfinished broadcasts, plan the sweeps, purge expired rows periodically."""
        await self.broadcaster.start()
        METRICS.leader.set(1)
        if self._job_queue is not None:
            for worker in self._scheduled:
                worker.start(self._job_queue)
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
            for worker in self._scheduled:
                worker.stop(self._job_queue)
            for job in self._job_queue.get_jobs_by_name(PURGE_JOB):
                job.schedule_removal()


async def start_event_workers(
    application: App,
    database: Database,
    texts: Texts,
    settings: Settings,
    users: InactiveUsers,
) -> None:
    """Build the once-only workers and compete for leadership (a lone replica leads at once)."""
    render = EventRenderer(texts, settings.zone)
    config = broadcast_config(settings)
    broadcaster = Broadcaster(application.bot, database, render, config, users)
    sender = Sender(application.bot, database, broadcaster.pacer, users)
    scheduled = (
        Reminders(sender, render),
        CheckReminders(sender, texts),
        FundingReminders(DatabaseFundingStore(database), FundingRenderer(texts), settings.zone),
    )
    work = OnceOnlyWork(broadcaster, scheduled, application.job_queue)
    loop = LeaderLoop(Leadership(database), work.lead, work.follow)
    application.bot_data.leader = loop
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


async def stop_event_workers(application: App) -> None:
    """Stop the workers and release leadership (unfinished rows resume on the next leader)."""
    loop = application.bot_data.leader
    if loop is not None:
        await loop.stop()


async def _purge(context: Context) -> None:
    removed = await handlers.services(context).stores.stats.purge_expired()
    if removed:
        logger.info("purged %d expired question-log rows", removed)
