"""The re-check question a year after a result, sent by a sweep of ``check_reminders``.

The pattern of the event reminders (``reminders.py``): a JobQueue job sweeps once the queue
starts and then every few minutes; each due row is claimed (``sent_at``) before its message goes
out, so a second sweep, a second instance or a restart never asks twice. A crash between claim
and send loses that one question rather than repeating it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.dialogue.texts import Texts
from bot.features.check.recheck import recheck_question
from bot.telegram.broadcast import Pacer
from bot.telegram.context import Context, Jobs
from bot.telegram.delivery import BlockedByUserError
from bot.telegram.send_policy import InactiveUsers
from bot.telegram.sending import send_turn
from storage.check.records import CheckReminderRecord
from storage.check.reminders import CheckReminderRepository
from storage.db import Database
from storage.types import Clock, utcnow

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=10)
SWEEP_JOB = "check-reminders"
STARTUP_JOB = "check-reminders-start-up"
NO_MISFIRE: dict[str, object] = {"misfire_grace_time": None}
SWEEP_LIMIT = 100  # a longer backlog goes out over the next sweeps


class CheckReminders:
    """Asks every user whose re-check question is due; one instance per application."""

    def __init__(
        self,
        bot: Bot,
        database: Database,
        texts: Texts,
        pacer: Pacer,
        users: InactiveUsers,
        clock: Clock = utcnow,
    ) -> None:
        self._bot = bot
        self._users = users
        self._db = database
        self._texts = texts
        self._pacer = pacer
        self._clock = clock

    def start(self, job_queue: Jobs) -> None:
        """Sweep once the queue runs (a one-off job without grace, see ``Reminders.start``),
        then every ``SWEEP_INTERVAL``."""
        job_queue.run_once(self._sweep, when=0, name=STARTUP_JOB, job_kwargs=NO_MISFIRE)
        job_queue.run_repeating(
            self._sweep, interval=SWEEP_INTERVAL, first=SWEEP_INTERVAL, name=SWEEP_JOB
        )

    def stop(self, job_queue: Jobs) -> None:
        """Drop both sweeps (another replica leads now)."""
        for name in (STARTUP_JOB, SWEEP_JOB):
            for job in job_queue.get_jobs_by_name(name):
                job.schedule_removal()

    async def _sweep(self, context: Context) -> None:
        await self.send_due()

    async def send_due(self) -> int:
        """Claim and send every question due now; how many users were reached."""
        now = self._clock()
        async with self._db.session() as session:
            due = await CheckReminderRepository(session).due(now, SWEEP_LIMIT)
        reached = 0
        for reminder in due:
            async with self._db.session() as session:
                claimed = await CheckReminderRepository(session).claim(reminder, now)
            if claimed:
                reached += await self._ask(reminder)
        if due:
            logger.info("re-check questions: %d due, %d delivered", len(due), reached)
        return reached

    async def _ask(self, reminder: CheckReminderRecord) -> int:
        await self._pacer.wait()
        try:
            await send_turn(self._bot, reminder.chat_id, recheck_question(self._texts, reminder))
        except BlockedByUserError:
            await self._users.mark_inactive(reminder.telegram_user_id)
            logger.info("re-check question not delivered: user blocked the bot; marked inactive")
            return 0
        except TelegramError as error:
            logger.info("re-check question not delivered: %s", error)
            return 0
        return 1
