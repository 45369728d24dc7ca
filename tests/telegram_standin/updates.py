"""Factories for Telegram JSON objects (User, Chat, Message, Update) in the Bot API's shapes."""

from __future__ import annotations

import re
import time
from typing import Any

JSON = dict[str, Any]

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?")


def now() -> int:
    """Unix time as Telegram's ``date`` fields carry it."""
    return int(time.time())


def user(user_id: int, first_name: str = "Test", *, language_code: str = "de") -> JSON:
    """A human User."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


def private_chat(user_id: int, first_name: str = "Test") -> JSON:
    """The private Chat with a user (its id equals the user id)."""
    return {"id": user_id, "type": "private", "first_name": first_name}


def group_chat(group_id: int, *, title: str | None = None, chat_type: str = "group") -> JSON:
    """A group or supergroup Chat (Telegram group ids are negative)."""
    return {"id": group_id, "type": chat_type, "title": title or f"Gruppe {group_id}"}


def message(message_id: int, chat: JSON, sender: JSON, **content: Any) -> JSON:
    """A Message; ``content`` holds text/entities/photo/... fields."""
    return {"message_id": message_id, "date": now(), "chat": chat, "from": sender, **content}


def text_content(text: str, entities: list[JSON] | None = None) -> JSON:
    """``text`` plus ``entities``; a leading /command gets its bot_command entity."""
    content: JSON = {"text": text}
    found = list(entities) if entities is not None else command_entities(text)
    if found:
        content["entities"] = found
    return content


def forward_origin(user_id: int) -> JSON:
    """``forward_origin`` of a message forwarded from a user's message."""
    return {"type": "user", "date": now(), "sender_user": user(user_id)}


def command_entities(text: str) -> list[JSON]:
    """The bot_command entity Telegram adds for a message starting with ``/command``."""
    match = _COMMAND_RE.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group())}]


def sticker_content(serial: int) -> JSON:
    """A regular static sticker."""
    return {
        "sticker": {
            **_file_ids("sticker", serial),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
    }


def photo_content(serial: int, caption: str | None = None) -> JSON:
    """A photo in two sizes, optionally captioned."""
    sizes = [
        {**_file_ids(f"photo{size}", serial), "width": size, "height": size * 3 // 4}
        for size in (90, 800)
    ]
    content: JSON = {"photo": sizes}
    if caption is not None:
        content["caption"] = caption
    return content


def voice_content(serial: int, duration: int = 3) -> JSON:
    """A voice note."""
    return {"voice": {**_file_ids("voice", serial), "duration": duration, "mime_type": "audio/ogg"}}


def document_content(serial: int, file_name: str = "datei.pdf") -> JSON:
    """A document the user sent."""
    ids = _file_ids("doc", serial)
    return {
        "document": {
            **ids,
            "file_name": file_name,
            "mime_type": "application/pdf",
            "file_size": 1024,
        }
    }


def _file_ids(kind: str, serial: int) -> JSON:
    return {"file_id": f"user-{kind}-{serial}", "file_unique_id": f"u{kind}{serial}"}


def callback_query(query_id: str, sender: JSON, msg: JSON, data: str) -> JSON:
    """A CallbackQuery from pressing an inline button of ``msg``."""
    return {
        "id": query_id,
        "from": sender,
        "message": msg,
        "chat_instance": f"ci{abs(msg['chat']['id'])}",
        "data": data,
    }


def my_chat_member(chat: JSON, sender: JSON, bot: JSON, *, old: str, new: str) -> JSON:
    """A ChatMemberUpdated for the bot itself (e.g. the user blocked it: member -> kicked)."""

    def member(status: str) -> JSON:
        extra: JSON = {"until_date": 0} if status == "kicked" else {}
        return {"user": bot, "status": status, **extra}

    return {
        "chat": chat,
        "from": sender,
        "date": now(),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }


def update_kind(update: JSON) -> str:
    """The update type (``message``, ``callback_query``, ...), as used by allowed_updates."""
    return next(key for key in update if key != "update_id")
