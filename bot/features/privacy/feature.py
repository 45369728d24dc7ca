"""DSGVO self-service: what is stored (/datenschutz), export (/meinedaten), deletion (/loeschen)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

from bot.dialogue import callbacks
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Document, Incoming, Reply, Turn
from bot.features.privacy.export import ExportLabels, readable_export
from knowledge.markup import escape
from nlu.types import ParseResult

DELETE = "del"
# Kinds of records in the order /loeschen names them (keys of ``UserDataStore.delete``).
DELETED_KINDS = (
    "users",
    "conversation_states",
    "question_log",
    "question_picks",
    "feedback",
    "check_sessions",
    "check_answers",
    "check_results",
    "check_reminders",
    "subscriptions",
    "rsvps",
    "outbox",
    "radar_subscriptions",
)


@dataclass(frozen=True)
class PrivacyPolicy:
    """The facts /datenschutz states and what the export needs to spell values out."""

    retention_days: int
    backup_days: int
    controller: str
    labels: ExportLabels


class UserDataStore(Protocol):
    """Everything stored about one user, for export and erasure."""

    async def export(self, user_id: int) -> dict[str, object]:
        """All stored data of the user, JSON-serialisable."""

    async def delete(self, user_id: int) -> Mapping[str, int]:
        """Delete all data of the user; the number of removed records by kind."""


class PrivacyFeature(Feature):
    """Explains, exports and deletes a user's data."""

    commands: ClassVar[tuple[str, ...]] = ("datenschutz", "meinedaten", "loeschen")
    group_commands: ClassVar[frozenset[str]] = frozenset({"datenschutz"})
    intents: ClassVar[frozenset[str]] = frozenset({"privacy", "delete_data"})
    button_kinds: ClassVar[frozenset[str]] = frozenset({DELETE})

    def __init__(self, store: UserDataStore, texts: Texts, policy: PrivacyPolicy) -> None:
        self._store = store
        self._texts = texts
        self._policy = policy

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Dispatch the three privacy commands."""
        if command == "meinedaten":
            return await self._export(incoming)
        if command == "loeschen":
            return self._confirm_delete()
        return Turn.say(
            self._texts.format(
                "privacy_notice",
                retention=str(self._policy.retention_days),
                backup_days=str(self._policy.backup_days),
                controller=escape(self._policy.controller),
            )
        )

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """ "Was speichert ihr?" explains; "Lösch meine Daten" asks for confirmation."""
        command = "loeschen" if parse.intent.name == "delete_data" else "datenschutz"
        return await self.on_command(incoming, command, "")

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Delete only after an explicit "yes"."""
        if parts[1:] == ("yes",):
            counts = await self._store.delete(incoming.user_id)
            return Turn(replies=(Reply(self._deleted(counts), edit=True),))
        if parts[1:] == ("no",):
            return Turn(replies=(Reply(self._texts["delete_cancelled"], edit=True),))
        return Turn(toast=self._texts["invalid_button"])

    async def _export(self, incoming: Incoming) -> Turn:
        data = readable_export(await self._store.export(incoming.user_id), self._policy.labels)
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
        document = Document("digilotse-meine-daten.json", content, self._texts["export_caption"])
        return Turn(replies=(Reply(self._texts["export_caption"], document=document),))

    def _deleted(self, counts: Mapping[str, int]) -> str:
        """ "Erledigt" with every kind of record that was removed, and how many."""
        lines = [
            self._texts.format("deleted_line", kind=self._texts[f"deleted_{kind}"], count=str(n))
            for kind in DELETED_KINDS
            if (n := counts.get(kind, 0))
        ]
        if not lines:
            return self._texts["deleted_nothing"]
        total = str(sum(counts.values()))
        return self._texts.format("deleted", lines="\n".join(lines), total=total)

    def _confirm_delete(self) -> Turn:
        buttons = (
            (
                Button(self._texts["delete_yes"], callbacks.encode(DELETE, "yes")),
                Button(self._texts["delete_no"], callbacks.encode(DELETE, "no")),
            ),
        )
        return Turn.say(self._texts["delete_confirm"], buttons)
