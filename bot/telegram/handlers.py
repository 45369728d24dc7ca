"""Telegram update handlers: unpack the update, call the engine, send the turn."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.app.compose import Services
from bot.dialogue.types import Incoming, Turn
from bot.telegram.context import Context
from bot.telegram.delivery import BlockedByUserError, deliver
from bot.telegram.sending import send_turn

logger = logging.getLogger(__name__)


def services(context: Context) -> Services:
    """The services the composition root stored in ``bot_data`` at start-up."""
    found = context.bot_data.services
    if found is None:
        raise RuntimeError("services are not open yet (post_init has not run)")
    return found


async def on_text(update: Update, context: Context) -> None:
    """Free text and commands, in private chats (and groups when addressed)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.text is None:
        return
    text: str | None = message.text
    link = None
    if message.chat.type != ChatType.PRIVATE:
        text = _addressed_text(message, context.bot.username)
        if text is None:
            return
        link = private_chat_link(context.bot.username)
    incoming = Incoming(
        user.id,
        message.chat_id,
        text=text,
        is_admin=_is_admin(context, user.id),
        forwarded=message.forward_origin is not None,
        private_chat_link=link,
    )
    await _answer(context, incoming)


def private_chat_link(username: str | None) -> str:
    """The deep link that opens the private chat with the bot (``/start gruppe``)."""
    return f"https://t.me/{username or ''}?start=gruppe"


async def on_callback(update: Update, context: Context) -> None:
    """Button presses; the data is untrusted and validated by the engine."""
    query = update.callback_query
    if query is None:
        return
    chat = query.message.chat if query.message is not None else None
    in_group = chat is not None and chat.type != ChatType.PRIVATE
    incoming = Incoming(
        query.from_user.id,
        chat.id if chat is not None else query.from_user.id,
        button=query.data or "",
        is_admin=_is_admin(context, query.from_user.id),
        private_chat_link=private_chat_link(context.bot.username) if in_group else None,
        message_id=query.message.message_id if query.message is not None else None,
    )
    pressed = query.message if isinstance(query.message, Message) else None
    turn = await _handle(context, incoming)
    await _answer_query(query.answer, turn.toast)
    await _send(context, incoming, turn, pressed)


async def _answer_query(answer: Callable[[str | None], Awaitable[bool]], toast: str | None) -> None:
    """Best effort: a query processed late (restart, backlog) has expired; reply anyway."""
    try:
        await deliver(lambda: answer(toast))
    except TelegramError as error:  # "query is too old", or the network gave up
        logger.info("callback query not answered: %s", error.message)


async def on_other(update: Update, context: Context) -> None:
    """Stickers, photos, voice, documents …: say kindly what the bot understands."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    await _reply_text(context, message.chat_id, services(context).texts["no_text"])


async def on_edited(update: Update, context: Context) -> None:
    """Edited messages are not re-answered; the user is told so."""
    message = update.edited_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    await _reply_text(context, message.chat_id, services(context).texts["edited"])


async def on_member_status(update: Update, context: Context) -> None:
    """The user blocked (``kicked``) or unblocked the bot in a private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    users = services(context).stores.users
    if change.new_chat_member.status == ChatMemberStatus.BANNED:
        logger.info("user blocked the bot; marking inactive")
        await users.mark_inactive(change.from_user.id)
    elif change.new_chat_member.status == ChatMemberStatus.MEMBER:
        await users.touch_user(change.from_user.id, change.chat.id, force=True)


async def _answer(context: Context, incoming: Incoming) -> None:
    turn = await _handle(context, incoming)
    await _send(context, incoming, turn, None)


async def _handle(context: Context, incoming: Incoming) -> Turn:
    found = services(context)
    if not incoming.in_group:  # a group is no way to reach the user: keep their private chat
        await found.stores.users.touch_user(incoming.user_id, incoming.chat_id)
    return await found.engine.handle(incoming)


async def _send(context: Context, incoming: Incoming, turn: Turn, pressed: Message | None) -> None:
    try:
        await send_turn(context.bot, incoming.chat_id, turn, pressed)
    except BlockedByUserError:
        if incoming.in_group:
            logger.info("the bot may no longer post in a group")
            return
        logger.info("user blocked the bot; marking inactive")
        await services(context).stores.users.mark_inactive(incoming.user_id)


async def _reply_text(context: Context, chat_id: int, text: str) -> None:
    try:
        await send_turn(context.bot, chat_id, Turn.say(text))
    except BlockedByUserError:
        logger.info("user blocked the bot")


def _is_admin(context: Context, user_id: int) -> bool:
    return user_id in services(context).settings.admin_ids


def _addressed_text(message: Message, username: str | None) -> str | None:
    """In groups: commands, and text that mentions the bot (mention removed); else ``None``."""
    text = message.text or ""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        addressee = command.partition("@")[2]
        mine = not addressee or (username or "").lower() == addressee.lower()
        return text if mine else None
    if username and f"@{username}".lower() in text.lower():
        return re.sub(rf"@{re.escape(username)}\b", "", text, flags=re.I).strip()
    return None


def describe(update: object) -> str:
    """A log-safe description of an update (id only, never its text)."""
    if isinstance(update, Update):
        return f"update {update.update_id}"
    return html.escape(type(update).__name__)
