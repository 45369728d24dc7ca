"""/id: tells any user their numeric Telegram id (operators put it into ADMIN_IDS)."""

from __future__ import annotations

from typing import ClassVar

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Incoming, Turn


class IdentityFeature(Feature):
    """Answers /id with the sender's user id (and the chat id, when not a private chat)."""

    commands: ClassVar[tuple[str, ...]] = ("id",)

    def __init__(self, texts: Texts) -> None:
        self._texts = texts

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """The ids are numbers only; nothing is stored."""
        text = self._texts.format("your_id", user_id=str(incoming.user_id))
        if incoming.chat_id != incoming.user_id:
            text += "\n" + self._texts.format("chat_id", chat_id=str(incoming.chat_id))
        return Turn.say(text)
