"""python-telegram-bot's context, typed: what the application keeps and how callbacks see it.

PTB passes ``bot_data`` to every callback. Instead of a dict with string keys, the application
keeps one :class:`BotData` (``ContextTypes(bot_data=BotData)``), so every access is checked by
mypy and no callback needs a cast or a ``type: ignore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

if TYPE_CHECKING:
    from bot.app.compose import Services
    from bot.telegram.leader import LeaderLoop


@dataclass
class BotData:
    """Per application: the services (set in ``post_init``), the leader loop of the once-only
    work, and why the bot stopped itself, if it did (read by ``digilotse run``)."""

    services: Services | None = None
    leader: LeaderLoop | None = None
    fault: str | None = None


Context: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
Jobs: TypeAlias = JobQueue[Context]
App: TypeAlias = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, Jobs]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
