"""What the JobQueue workers that send on their own share: how they are scheduled and what they
send with.

PTB starts the JobQueue only after ``post_init``, where the workers start: an interval job whose
first run lies in the past by then skips to the next interval, and a one-off job later than
APScheduler's grace second is dropped. So every sweep runs once as a one-off job without grace,
then every interval.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import Bot

from bot.telegram.broadcast import Pacer
from bot.telegram.context import Context, Jobs
from bot.telegram.send_policy import InactiveUsers
from storage.db import Database
from storage.types import Clock, utcnow

NO_MISFIRE: dict[str, object] = {"misfire_grace_time": None}


def startup_job(name: str) -> str:
    """The name of a sweep's one-off start-up run."""
    return f"{name}-start-up"


@dataclass(frozen=True)
class Sender:
    """A worker's way out: the bot, its database, the shared pace and the one "mark inactive"."""

    bot: Bot
    database: Database
    pacer: Pacer
    users: InactiveUsers
    clock: Clock = field(default=utcnow)


class Sweep:
    """A periodic job under ``name``: once when the queue starts, then every ``interval``."""

    def __init__(
        self, name: str, interval: timedelta, run: Callable[[], Awaitable[object]]
    ) -> None:
        self.name = name
        self.startup_name = startup_job(name)
        self._interval = interval
        self._run = run

    def start(self, job_queue: Jobs) -> None:
        """Plan the start-up run (no grace limit) and the repeating one."""
        job_queue.run_once(self._job, when=0, name=self.startup_name, job_kwargs=NO_MISFIRE)
        job_queue.run_repeating(
            self._job, interval=self._interval, first=self._interval, name=self.name
        )

    def stop(self, job_queue: Jobs) -> None:
        """Drop both runs (another replica leads and sweeps now)."""
        for name in (self.startup_name, self.name):
            for job in job_queue.get_jobs_by_name(name):
                job.schedule_removal()

    async def _job(self, context: Context) -> None:
        await self._run()
