"""The /luecken work queue on the database: open questions, decisions, accepted questions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from bot.features.editorial.clusters import OpenQuestion
from storage.db import Database
from storage.editorial.learned import GapQueueRepository, LearnedRepository


class DatabaseGapStore:
    """Reads the question log after ``flush`` (queued questions count too) and writes decisions."""

    def __init__(self, database: Database, flush: Callable[[], Awaitable[None]]) -> None:
        self._db = database
        self._flush = flush

    async def open_questions(self) -> list[OpenQuestion]:
        """Unanswered or corrected questions no editor has decided on, grouped by wording."""
        await self._flush()
        async with self._db.session() as session:
            groups = await GapQueueRepository(session).open_groups()
        return [
            OpenQuestion(g.normalized, g.example_id, g.example, g.count, g.picked) for g in groups
        ]

    async def question(self, question_id: int) -> tuple[str, str] | None:
        """Wording and normalised form of a logged question, ``None`` once purged."""
        async with self._db.session() as session:
            return await GapQueueRepository(session).question(question_id)

    async def decide(self, normalized: Iterable[str], decision: str) -> None:
        """Take the questions off the queue ("new_entry" or "ignore")."""
        async with self._db.session() as session:
            await GapQueueRepository(session).decide(normalized, decision)

    async def accept(self, question: str, entry_id: str, normalized: Iterable[str]) -> None:
        """Store the question for the entry and take its cluster off the queue, in one go."""
        async with self._db.session() as session:
            await LearnedRepository(session).accept(question, entry_id)
            await GapQueueRepository(session).decide(normalized, "accept")
