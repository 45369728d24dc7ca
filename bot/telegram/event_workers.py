"""Start and stop the scheduled workers (broadcast, event reminders, re-check questions) from
the composition root."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler

from bot.dialogue.events_render import EventRenderer
from bot.dialogue.texts import Texts
from bot.retry import RetryPolicy
from bot.settings import Settings
from bot.telegram.broadcast import (
    GO_PATTERN,
    BroadcastConfig,
    Broadcaster,
    remember_control_message,
)
from bot.telegram.check_reminders import CheckReminders
from bot.telegram.reminders import Reminders
from storage.db import Database

CONTROL_GROUP = -1  # before the engine's handlers (group 0)


def add_event_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Remember the preview message whose "Jetzt senden" was pressed (for progress edits)."""
    handler = CallbackQueryHandler(remember_control_message, pattern=GO_PATTERN)
    application.add_handler(handler, group=CONTROL_GROUP)


async def start_event_workers(
    application: Application,  # type: ignore[type-arg]
    database: Database,
    texts: Texts,
    settings: Settings,
) -> None:
    """Resume unfinished broadcasts, plan event reminders and sweep re-check questions."""
    render = EventRenderer(texts, settings.zone)
    broadcaster = Broadcaster(
        application.bot,
        database,
        render,
        BroadcastConfig(
            pace=settings.broadcast_pace,
            concurrency=settings.broadcast_concurrency,
            retry=RetryPolicy(
                base=settings.broadcast_retry_base,
                cap=max(settings.broadcast_retry_cap, settings.broadcast_retry_base),
                attempts=settings.broadcast_retry_attempts,
            ),
        ),
    )
    await broadcaster.start()
    application.bot_data["broadcaster"] = broadcaster
    if application.job_queue is not None:
        reminders = Reminders(application.bot, database, render, broadcaster.pacer)
        reminders.start(application.job_queue)
        rechecks = CheckReminders(application.bot, database, texts, broadcaster.pacer)
        rechecks.start(application.job_queue)


async def stop_event_workers(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the broadcast worker (unfinished rows resume at the next start)."""
    broadcaster: Broadcaster | None = application.bot_data.get("broadcaster")
    if broadcaster is not None:
        await broadcaster.stop()
