"""DSGVO self-service: what is stored (/datenschutz), export (/meinedaten), deletion (/loeschen)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar, Protocol

from bot.dialogue import callbacks
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Document, Incoming, Reply, Turn
from nlu.types import ParseResult

DELETE = "del"


class UserDataStore(Protocol):
    """Everything stored about one user, for export and erasure."""

    async def export(self, user_id: int) -> dict[str, object]:
        """All stored data of the user, JSON-serialisable."""

    async def delete(self, user_id: int) -> int:
        """Delete all data of the user; return the number of removed records."""


class PrivacyFeature(Feature):
    """Explains, exports and deletes a user's data."""

    commands: ClassVar[Mapping[str, str]] = {
        "datenschutz": "Was gespeichert wird",
        "meinedaten": "Meine gespeicherten Daten",
        "loeschen": "Meine Daten löschen",
    }
    intents: ClassVar[frozenset[str]] = frozenset({"privacy", "delete_data"})
    button_kinds: ClassVar[frozenset[str]] = frozenset({DELETE})

    def __init__(self, store: UserDataStore, texts: Texts, retention_days: int) -> None:
        self._store = store
        self._texts = texts
        self._retention = retention_days

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Dispatch the three privacy commands."""
        if command == "meinedaten":
            return await self._export(incoming)
        if command == "loeschen":
            return self._confirm_delete()
        return Turn.say(self._texts.format("privacy_notice", retention=str(self._retention)))

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """ "Was speichert ihr?" explains; "Lösch meine Daten" asks for confirmation."""
        command = "loeschen" if parse.intent.name == "delete_data" else "datenschutz"
        return await self.on_command(incoming, command, "")

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Delete only after an explicit "yes"."""
        if parts[1:] == ("yes",):
            count = await self._store.delete(incoming.user_id)
            return Turn(
                replies=(Reply(self._texts.format("deleted", count=str(count)), edit=True),)
            )
        if parts[1:] == ("no",):
            return Turn(replies=(Reply(self._texts["delete_cancelled"], edit=True),))
        return Turn(toast=self._texts["invalid_button"])

    async def _export(self, incoming: Incoming) -> Turn:
        data = await self._store.export(incoming.user_id)
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
        document = Document("digilotse-meine-daten.json", content, self._texts["export_caption"])
        return Turn(replies=(Reply(self._texts["export_caption"], document=document),))

    def _confirm_delete(self) -> Turn:
        buttons = (
            (
                Button(self._texts["delete_yes"], callbacks.encode(DELETE, "yes")),
                Button(self._texts["delete_no"], callbacks.encode(DELETE, "no")),
            ),
        )
        return Turn.say(self._texts["delete_confirm"], buttons)
