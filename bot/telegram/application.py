"""The Telegram adapter's assembly: the core from ``bot.app``, the PTB Application and workers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.app.compose import open_services
from bot.dialogue.types import Turn
from bot.metrics import METRICS
from bot.settings import Settings
from bot.telegram import event_workers, handlers
from bot.telegram.context import CONTEXT_TYPES, App, Context, Jobs
from bot.telegram.handlers import describe
from bot.telegram.processing import PerUserUpdateProcessor
from bot.telegram.sending import send_turn
from bot.telegram.transport import AiohttpRequest
from storage.db import DatabaseFaultError

logger = logging.getLogger(__name__)


def file_url(api_url: str) -> str:
    """``https://host/bot`` → ``https://host/file/bot`` (where the Bot API serves files)."""
    base, _, _ = api_url.rpartition("/bot")
    return f"{base}/file/bot"


def build_application(settings: Settings) -> App:
    """The PTB application with every handler; services are created in ``post_init``."""
    application = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .job_queue(Jobs())
        .token(settings.require_token())
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url(settings.telegram_api_url))
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(pool_size=1))
        .defaults(Defaults(tzinfo=settings.zone))
        .concurrent_updates(PerUserUpdateProcessor())
        .post_init(_start_services(settings))
        .post_shutdown(_stop_services)
        .build()
    )
    add_handlers(application)
    return application


def add_handlers(application: App) -> None:
    """Route update types to the handlers in ``bot.telegram.handlers``."""
    application.add_handler(
        ChatMemberHandler(handlers.on_member_status, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(CallbackQueryHandler(handlers.on_callback))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, handlers.on_edited))
    application.add_handler(MessageHandler(filters.TEXT, handlers.on_text))
    application.add_handler(MessageHandler(filters.ALL, handlers.on_other))
    application.add_error_handler(on_error)


def _start_services(settings: Settings) -> Callable[[App], Coroutine[Any, Any, None]]:
    async def post_init(application: App) -> None:
        core = await open_services(settings)
        database, engine = core.database, core.engine
        application.bot_data.services = core
        METRICS.watch_nlu(core.nlu)
        METRICS.broadcast_pace.set(settings.broadcast_pace)
        commands = [BotCommand(name, text) for name, text in engine.commands.items()]
        await application.bot.set_my_commands(commands)
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                _watch_database, interval=settings.database_check_seconds
            )
            application.job_queue.run_repeating(
                _follow_content, interval=settings.content_poll_seconds
            )
            application.job_queue.run_once(
                _start_build_process, when=settings.content_build_start_seconds
            )
        await event_workers.start_event_workers(
            application, database, core.texts, settings, core.stores.users
        )
        logger.info("services ready (%s)", database)

    return post_init


async def _stop_services(application: App) -> None:
    await event_workers.stop_event_workers(application)
    core = application.bot_data.services
    if core is not None:
        await core.close()


async def _follow_content(context: Context) -> None:
    """Reload when ``digilotse kb reload`` or another replica raised the content version."""
    result = await handlers.services(context).content.poll()
    if result is not None and not result.ok:
        logger.warning("content version raised, files refused; first: %s", result.problems[0])


async def _start_build_process(context: Context) -> None:
    """Start the process that builds reloaded content, so the first ``/neuladen`` need not."""
    handlers.services(context).content.start_build_process()


async def _watch_database(context: Context) -> None:
    """Stop the bot when its SQLite file was deleted or replaced: writes would be lost."""
    try:
        handlers.services(context).database.check_file()
    except DatabaseFaultError as fault:
        logger.critical("%s", fault)
        context.application.bot_data.fault = str(fault)
        context.application.stop_running()


async def on_error(update: object, context: Context) -> None:
    """Log with the update id and tell the user something kind."""
    logger.error("error while handling %s", describe(update), exc_info=context.error)
    METRICS.errors.labels(type(context.error).__name__).inc()
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    texts = handlers.services(context).texts
    try:
        await send_turn(context.bot, update.effective_chat.id, Turn.say(texts["error"]))
    except Exception:
        logger.warning("could not tell the user about the error", exc_info=True)
