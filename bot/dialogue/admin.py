"""Editor commands, for ``ADMIN_IDS`` only: usage statistics (/luecken: ``bot.dialogue.gaps``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Incoming, Turn


@dataclass(frozen=True)
class Stats:
    """Usage figures for /statistik."""

    users: int
    active_users: int
    outcomes: dict[str, int]
    feedback_up: int
    feedback_down: int
    window: str


@dataclass(frozen=True)
class Gap:
    """A frequently asked question the knowledge base could not answer."""

    question: str
    count: int


class StatsStore(Protocol):
    """Aggregates for editors (no personal data)."""

    async def stats(self) -> Stats:
        """Current usage figures."""


class AdminFeature(Feature):
    """/statistik; everyone else gets a polite refusal and nothing happens."""

    commands: ClassVar[Mapping[str, str]] = {"statistik": ""}

    def __init__(self, store: StatsStore, texts: Texts, retention_days: int) -> None:
        self._store = store
        self._texts = texts
        self._window = f"letzte {retention_days} Tage"

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Run an admin command if the sender is an admin."""
        if not incoming.is_admin:
            return Turn.say(self._texts["admin_only"])
        return await self._stats()

    async def _stats(self) -> Turn:
        stats = await self._store.stats()
        total = sum(stats.outcomes.values())

        def share(outcome: str) -> str:
            count = stats.outcomes.get(outcome, 0)
            percent = f"{100 * count / total:.0f}".replace(".", ",") if total else "0"
            return f"{count} ({percent} %)"

        return Turn.say(
            self._texts.format(
                "stats",
                users=str(stats.users),
                active=str(stats.active_users),
                window=stats.window,
                questions=str(total),
                answer=share("answer"),
                suggest=share("suggest"),
                abstain=share("abstain"),
                up=str(stats.feedback_up),
                down=str(stats.feedback_down),
            )
        )
