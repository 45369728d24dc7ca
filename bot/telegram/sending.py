"""Send an engine ``Turn`` through the Bot API: split long HTML, attach keyboards and files."""

from __future__ import annotations

from functools import lru_cache

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bot.dialogue.types import Keyboard, Reply, Turn
from bot.telegram.delivery import deliver
from knowledge.markup import escape, split_html

CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """The engine's button rows as an inline keyboard."""
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    return InlineKeyboardMarkup(rows)


@lru_cache(maxsize=512)
def message_parts(html: str) -> tuple[str, ...]:
    """``html`` checked and split into messages Telegram accepts (``ValueError`` if invalid).

    Remembered: answers repeat (one text per entry), and the check is a full HTML parse.
    """
    return tuple(split_html(html, MessageLimit.MAX_TEXT_LENGTH))


async def send_turn(bot: Bot, chat_id: int, turn: Turn, pressed: Message | None = None) -> None:
    """Send every reply of ``turn``; ``edit`` replies replace ``pressed`` when there is one."""
    for reply in turn.replies:
        if reply.edit and pressed is not None and reply.document is None and reply.photo is None:
            await _edit_or_send(bot, pressed, reply)
        else:
            await _send(bot, chat_id, reply)


async def _send(bot: Bot, chat_id: int, reply: Reply) -> None:
    parts = message_parts(reply.html) if reply.html else ()
    attachment = reply.document or reply.photo
    if attachment is not None and parts and len(parts) == 1 and len(parts[0]) <= CAPTION_LIMIT:
        parts = ()  # the text fits as the file's caption
    for index, part in enumerate(parts):
        last = index == len(parts) - 1 and attachment is None
        await _send_text(bot, chat_id, part, keyboard(reply.buttons) if last else None)
    if attachment is not None:
        caption = reply.html if not parts else escape(attachment.caption)[:CAPTION_LIMIT]
        file = InputFile(attachment.content, filename=attachment.filename)
        method = bot.send_photo if reply.photo is not None else bot.send_document
        await deliver(
            lambda: method(
                chat_id,
                file,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply.buttons),
            )
        )


async def _send_text(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    await deliver(
        lambda: bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
    )


def is_not_modified(error: BadRequest) -> bool:
    """Telegram's answer to an edit that changes nothing (a double tap): already done."""
    return "message is not modified" in error.message.lower()


def _is_gone(error: BadRequest) -> bool:
    return "message to edit not found" in error.message.lower()


async def _edit_or_send(bot: Bot, message: Message, reply: Reply) -> None:
    """Edit the pressed message; unchanged counts as done, a deleted one gets a new message."""
    try:
        await _edit(bot, message, reply)
    except BadRequest as error:
        if _is_gone(error):
            await _send(bot, message.chat_id, reply)
        elif not is_not_modified(error):
            raise


async def _edit(bot: Bot, message: Message, reply: Reply) -> None:
    part = message_parts(reply.html)[0]
    await deliver(
        lambda: bot.edit_message_text(
            part,
            chat_id=message.chat_id,
            message_id=message.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply.buttons),
        )
    )
