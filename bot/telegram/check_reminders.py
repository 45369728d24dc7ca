"""The re-check question a year after a result, sent by a sweep of ``check_reminders``.

The pattern of the event reminders (``reminders.py``): a JobQueue job sweeps once the queue
starts and then every few minutes; each due row is claimed (``sent_at``) before its message goes
out, so a second sweep, a second instance or a restart never asks twice. A crash between claim
and send loses that one question rather than repeating it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import TelegramError

from bot.dialogue.texts import Texts
from bot.features.check.recheck import recheck_question
from bot.telegram.context import Jobs
from bot.telegram.delivery import BlockedByUserError
from bot.telegram.sending import send_turn
from bot.telegram.sweep import Sender, Sweep, startup_job
from storage.check.records import CheckReminderRecord
from storage.check.reminders import CheckReminderRepository

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=10)
SWEEP_JOB = "check-reminders"
STARTUP_JOB = startup_job(SWEEP_JOB)
SWEEP_LIMIT = 100  # a longer backlog goes out over the next sweeps


class CheckReminders:
    """Asks every user whose re-check question is due; one instance per application."""

    def __init__(self, sender: Sender, texts: Texts) -> None:
        self._out = sender
        self._texts = texts
        self._sweep = Sweep(SWEEP_JOB, SWEEP_INTERVAL, self.send_due)

    def start(self, job_queue: Jobs) -> None:
        """Sweep once the queue runs, then every ``SWEEP_INTERVAL``."""
        self._sweep.start(job_queue)

    def stop(self, job_queue: Jobs) -> None:
        """Drop both sweeps (another replica leads now)."""
        self._sweep.stop(job_queue)

    async def send_due(self) -> int:
        """Claim and send every question due now; how many users were reached."""
        now = self._out.clock()
        async with self._out.database.session() as session:
            due = await CheckReminderRepository(session).due(now, SWEEP_LIMIT)
        reached = 0
        for reminder in due:
            async with self._out.database.session() as session:
                claimed = await CheckReminderRepository(session).claim(reminder, now)
            if claimed:
                reached += await self._ask(reminder)
        if due:
            logger.info("re-check questions: %d due, %d delivered", len(due), reached)
        return reached

    async def _ask(self, reminder: CheckReminderRecord) -> int:
        await self._out.pacer.wait()
        try:
            question = recheck_question(self._texts, reminder)
            await send_turn(self._out.bot, reminder.chat_id, question)
        except BlockedByUserError:
            await self._out.users.mark_inactive(reminder.telegram_user_id)
            logger.info("re-check question not delivered: user blocked the bot; marked inactive")
            return 0
        except TelegramError as error:
            logger.info("re-check question not delivered: %s", error)
            return 0
        return 1
