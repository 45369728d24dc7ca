"""Start and stop the scheduled workers (broadcast, event reminders, re-check questions) from
the composition root."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.dialogue import callbacks
from bot.dialogue.events_render import KIND, EventRenderer
from bot.dialogue.funding_render import KIND as FUNDING_KIND
from bot.dialogue.funding_render import FundingRenderer
from bot.dialogue.funding_store import FundingStore
from bot.dialogue.texts import Texts
from bot.retry import RetryPolicy
from bot.services import Services
from bot.settings import Settings
from bot.telegram.broadcast import BroadcastConfig, Broadcaster
from bot.telegram.check_reminders import CheckReminders
from bot.telegram.funding_reminders import FundingReminders
from bot.telegram.reminders import Reminders
from storage.db import Database
from storage.outbox import OutboxRepository

CONTROL_GROUP = -1  # before the engine's handlers (group 0)
GO_PATTERN = rf"^({KIND}|{FUNDING_KIND}):go:[0-9]{{1,10}}$"


def add_event_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Remember the preview message whose "Jetzt senden" was pressed (for progress edits)."""
    handler = CallbackQueryHandler(remember_control_message, pattern=GO_PATTERN)
    application.add_handler(handler, group=CONTROL_GROUP)


async def remember_control_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before the engine handles "Jetzt senden": store which message shows the progress.

    Registered in an earlier handler group than the engine's callback handler, for callback
    data ``ev:go:<announcement>`` or ``fr:go:<announcement>`` only. Only an admin's press is
    remembered (checked first), and only a strictly parsed, bounded id.
    """
    query: CallbackQuery | None = update.callback_query
    services: Services = context.bot_data["services"]
    if query is None or query.from_user.id not in services.settings.admin_ids:
        return
    parts = callbacks.decode(query.data)
    if (
        query.message is None
        or parts is None
        or len(parts) != 3
        or parts[0] not in (KIND, FUNDING_KIND)
        or parts[1] != "go"
    ):
        return
    announcement_id = callbacks.parse_id(parts[2])
    if announcement_id is None:
        return
    async with services.database.session() as session:
        await OutboxRepository(session).set_control_message(
            announcement_id, query.message.message_id
        )


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
        radar = FundingReminders(FundingStore(database), FundingRenderer(texts), settings.zone)
        radar.start(application.job_queue)


async def stop_event_workers(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the broadcast worker (unfinished rows resume at the next start)."""
    broadcaster: Broadcaster | None = application.bot_data.get("broadcaster")
    if broadcaster is not None:
        await broadcaster.stop()
