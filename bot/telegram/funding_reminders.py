"""Förderradar deadline reminders: a periodic sweep queues each call's reminder once.

Fourteen days (Berlin dates) before a call's deadline, the sweep claims the call's reminder and
writes its outbox rows in the same transaction; the broadcast worker then sends them at the
shared pace with the outbox's guarantees (resumable after kill -9, duplicates only within the
in-flight window). A claimed reminder is never queued again, so a restart never resends it.
"""

from __future__ import annotations

import logging
from datetime import timedelta, tzinfo

from bot.features.funding.render import FundingRenderer
from bot.stores.funding import DatabaseFundingStore
from bot.telegram.context import Jobs
from bot.telegram.sweep import Sweep, startup_job
from storage.types import Clock, utcnow

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=10)
SWEEP_JOB = "radar-reminders"
STARTUP_JOB = startup_job(SWEEP_JOB)


class FundingReminders:
    """Queues due deadline reminders into the outbox; one instance per application."""

    def __init__(
        self,
        store: DatabaseFundingStore,
        render: FundingRenderer,
        zone: tzinfo,
        clock: Clock = utcnow,
    ) -> None:
        self._store = store
        self._render = render
        self._zone = zone
        self._clock = clock
        self._sweep = Sweep(SWEEP_JOB, SWEEP_INTERVAL, self.sweep)

    def start(self, job_queue: Jobs) -> None:
        """Sweep once the queue runs (no grace limit, as for event reminders), then regularly."""
        self._sweep.start(job_queue)

    def stop(self, job_queue: Jobs) -> None:
        """Drop the sweeps (another replica leads and sweeps now)."""
        self._sweep.stop(job_queue)

    async def sweep(self) -> int:
        """Queue every due reminder not queued before; how many reminders were queued."""
        today = self._clock().astimezone(self._zone).date()
        queued = 0
        for call in await self._store.reminders_due(today):
            rows = await self._store.queue_reminder(call, self._render.reminder(call, today))
            if rows is not None:
                queued += 1
                logger.info("radar reminder for call %d queued for %d subscribers", call.id, rows)
        return queued
