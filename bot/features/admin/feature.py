"""Editor commands, for ``ADMIN_IDS`` only: usage statistics (/luecken is in ``editorial``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import ClassVar, Protocol

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Document, Incoming, Reply, Turn
from bot.features.admin.chart import weekly_chart, weekly_counts
from knowledge.markup import escape
from knowledge.schema import Entry


@dataclass(frozen=True)
class EntryRating:
    """👍/👎 totals of one entry."""

    entry_id: str
    up: int
    down: int


@dataclass(frozen=True)
class Stats:
    """Usage figures for /statistik."""

    users: int
    active_users: int
    outcomes: dict[str, int]
    feedback_up: int
    feedback_down: int
    window_days: int
    worst: tuple[EntryRating, ...] = ()
    """The entries with the lowest 👍 share (at least two votes), worst first."""
    asked: tuple[tuple[datetime, str], ...] = ()
    """When each question of the last weeks was asked, and its outcome (for the chart)."""


class StatsStore(Protocol):
    """Aggregates for editors (no personal data)."""

    async def stats(self) -> Stats:
        """Current usage figures."""


class AdminFeature(Feature):
    """/statistik; everyone else gets a polite refusal and nothing happens."""

    commands: ClassVar[tuple[str, ...]] = ("statistik",)
    admin_commands: ClassVar[frozenset[str]] = frozenset(commands)

    def __init__(
        self,
        store: StatsStore,
        texts: Texts,
        entries: Callable[[], Mapping[str, Entry]],
        zone: tzinfo = UTC,
        today: Callable[[], date] | None = None,
    ) -> None:
        self._store = store
        self._texts = texts
        self._entries = entries
        self._zone = zone
        self._today = today or (lambda: datetime.now(zone).date())

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

        html = self._texts.format(
            "stats",
            users=str(stats.users),
            active=str(stats.active_users),
            window=self._texts.format("stats_window", days=str(stats.window_days)),
            questions=str(total),
            answer=share("answer"),
            suggest=share("suggest"),
            abstain=share("abstain"),
            up=str(stats.feedback_up),
            down=str(stats.feedback_down),
        )
        html += self._worst(stats.worst)
        weeks = weekly_counts(stats.asked, self._today(), self._zone)
        caption = self._texts["stats_chart_caption"]
        png = await asyncio.to_thread(
            weekly_chart, weeks, self._texts
        )  # matplotlib: off the event loop
        photo = Document("statistik-wochen.png", png, caption)
        return Turn(replies=(Reply(html), Reply(caption, photo=photo)))

    def _worst(self, worst: tuple[EntryRating, ...]) -> str:
        """The lowest-rated entries with their titles, or nothing if none has two votes."""
        if not worst:
            return ""
        entries = self._entries()
        lines = [self._texts["stats_worst_header"]]
        for rating in worst:
            entry = entries.get(rating.entry_id)
            title = escape(entry.title) if entry is not None else "–"
            lines.append(
                self._texts.format(
                    "stats_worst_line",
                    title=title,
                    id=escape(rating.entry_id),
                    up=str(rating.up),
                    down=str(rating.down),
                )
            )
        return "\n\n" + "\n".join(lines)
