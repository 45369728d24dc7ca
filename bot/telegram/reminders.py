"""Event reminders to everyone who said yes, planned in the JobQueue (Europe/Berlin).

PTB does not persist jobs, so reminders are (re-)planned from the database: at start-up and
by a sweep every minute (which also picks up events created since). A reminder whose moment
passed while the bot was down is sent late if the event has not started. Each reminder is
claimed in ``reminders_sent`` before it goes out, so planning twice never sends twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import timedelta

from telegram import Message
from telegram.constants import ParseMode

from bot.features.events.announcement import (
    due_reminders,
    format_when,
    offset_label,
    place_html,
    remaining_minutes,
    reminder_job_name,
    reminder_times,
)
from bot.features.events.render import EventRenderer
from bot.telegram.context import Context, Jobs
from bot.telegram.retry import REPLY_RETRY
from bot.telegram.send_policy import SendHooks, send
from bot.telegram.sweep import Sender, Sweep, startup_job
from knowledge.markup import escape
from storage.events.records import EventRecord
from storage.events.repository import EventRepository

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=1)
SWEEP_JOB = "reminders"
STARTUP_JOB = startup_job(SWEEP_JOB)
PLAN_LIMIT = 200
JOB_PREFIX = "reminder:"  # of ``reminder_job_name``


class Reminders:
    """Plans and sends reminders; one instance per application."""

    def __init__(self, sender: Sender, render: EventRenderer) -> None:
        self._out = sender
        self._render = render
        self._sweep = Sweep(SWEEP_JOB, SWEEP_INTERVAL, self.sweep)
        self._jobs: Jobs | None = None  # where the sweep plans the reminders (set by start)

    def start(self, job_queue: Jobs) -> None:
        """Sweep once the queue runs, then every minute: plan later reminders, send overdue ones."""
        self._jobs = job_queue
        self._sweep.start(job_queue)

    def stop(self, job_queue: Jobs) -> None:
        """Drop the sweeps and every planned reminder (another replica plans them now)."""
        self._sweep.stop(job_queue)
        for job in job_queue.jobs():
            if str(job.name).startswith(JOB_PREFIX):
                job.schedule_removal()

    async def sweep(self) -> None:
        """Send the reminders that are due and plan the later ones."""
        now = self._out.clock()
        async with self._out.database.session() as session:
            events = EventRepository(session)
            upcoming = await events.upcoming(now, PLAN_LIMIT)
            sent = {event.id: await events.sent_reminders(event.id) for event in upcoming}
        for event in upcoming:
            due = due_reminders(event.starts_at, event.reminder_minutes, sent[event.id], now)
            if due:
                await self.send(event, due)
            if self._jobs is not None:
                self._plan(self._jobs, event, sent[event.id] | set(due))

    def _plan(self, job_queue: Jobs, event: EventRecord, sent: set[int]) -> None:
        for offset, moment in reminder_times(
            event.starts_at, event.reminder_minutes, sent, self._out.clock()
        ):
            name = reminder_job_name(event.id, event.starts_at, offset)
            if not job_queue.get_jobs_by_name(name):
                when = moment.astimezone(self._render.zone)
                data = (event.id, event.starts_at, offset)
                job_queue.run_once(self._fire, when=when, name=name, data=data)

    async def _fire(self, context: Context) -> None:
        job = context.job
        if job is None or not isinstance(job.data, tuple):
            return
        event_id, starts_at, offset = job.data
        async with self._out.database.session() as session:
            event = await EventRepository(session).get_event(event_id)
        if event is None or event.starts_at != starts_at or offset not in event.reminder_minutes:
            logger.info("reminder job %s is for an event that no longer exists; skipped", job.name)
            return
        await self.send(event, [offset])

    async def send(self, event: EventRecord, offsets: list[int]) -> int:
        """Claim the reminders and send one message (the nearest offset); recipients reached."""
        async with self._out.database.session() as session:
            events = EventRepository(session)
            claimed = [m for m in offsets if await events.claim_reminder(event.id, m)]
            recipients = await events.attending_chats(event.id) if claimed else []
        if not claimed:
            return 0
        html = self._html(event, min(claimed))
        reached = 0
        for user_id, chat_id in recipients:
            reached += await self._send_one(user_id, chat_id, html)
        logger.info("reminder for event %d sent to %d of %d", event.id, reached, len(recipients))
        return reached

    async def _send_one(self, user_id: int, chat_id: int, html: str) -> int:
        def call(chat: int) -> Awaitable[Message]:
            return self._out.bot.send_message(chat, html, parse_mode=ParseMode.HTML)

        result = await send(call, chat_id, REPLY_RETRY, SendHooks(pace=self._out.pacer.wait))
        if result.status == "blocked":
            await self._out.users.mark_inactive(user_id)
            logger.info("reminder not delivered: user blocked the bot; marked inactive")
        elif result.status == "failed":
            logger.info("reminder not delivered: %s", result.reason)
        return int(result.status == "sent")

    def _html(self, event: EventRecord, offset: int) -> str:
        texts, zone, now = self._render.texts, self._render.zone, self._out.clock()
        return texts.format(
            "events_reminder",
            offset=offset_label(remaining_minutes(event.starts_at, now, offset), texts),
            title=escape(event.title),
            when=format_when(event.starts_at, zone, texts),
            place=place_html(event.place, texts["events_online_link"]),
        )
