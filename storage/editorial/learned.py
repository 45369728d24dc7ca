"""The editor's work queue on gaps (/luecken) and the questions accepted into entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows
from storage.editorial.models import GAP_DECISIONS, GapDecision, LearnedQuestion, QuestionPick
from storage.models import QuestionLogEntry
from storage.types import Clock, utcnow

_Q, _P, _D, _L = QuestionLogEntry, QuestionPick, GapDecision, LearnedQuestion
QUEUE_ROWS = 5000
"""The newest open questions the work queue is built from (older ones wait their turn)."""


@dataclass(frozen=True)
class GapGroup:
    """Open questions with one normalised form: the newest wording, its row and the picks."""

    normalized: str
    example_id: int
    example: str
    count: int
    picked: tuple[str, ...]


@dataclass(frozen=True)
class LearnedRecord:
    """A question accepted into an entry and not exported to the files yet."""

    id: int
    question: str
    entry_id: str


class GapQueueRepository:
    """Unanswered or corrected questions no editor has decided on yet."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def open_groups(self, rows: int = QUEUE_ROWS) -> list[GapGroup]:
        """Open questions grouped by normalised form, newest wording first within each."""
        decided = select(_D.normalized)
        query = (
            select(_Q.id, _Q.question, _Q.normalized, _P.entry_id)
            .outerjoin(_P, _P.question_id == _Q.id)
            .where(or_(_Q.outcome == "abstain", _P.id.is_not(None)))
            .where(_Q.normalized.not_in(decided))
            .order_by(_Q.id.desc())
            .limit(rows)
        )
        found = await self._session.execute(query)
        return _grouped((row_id, q, n, e) for row_id, q, n, e in found)

    async def question(self, question_id: int) -> tuple[str, str] | None:
        """The wording and normalised form of a logged question (``None`` once purged)."""
        row = (
            await self._session.execute(
                select(_Q.question, _Q.normalized).where(_Q.id == question_id)
            )
        ).first()
        return None if row is None else (row.question, row.normalized)

    async def decide(self, normalized: Iterable[str], decision: str) -> None:
        """Take these normalised questions off the queue with the editor's decision."""
        if decision not in GAP_DECISIONS:
            raise ValueError(f"decision must be one of {GAP_DECISIONS}, got {decision!r}")
        now = self._clock()
        self._session.add_all(
            GapDecision(normalized=text, decision=decision, decided_at=now)
            for text in sorted(set(normalized))
        )
        await self._session.flush()

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Forget decisions made before ``cutoff`` (their questions are purged by then)."""
        return await affected_rows(self._session, delete(_D).where(_D.decided_at < cutoff))


class LearnedRepository:
    """Questions editors accepted into entries, until they are exported to the files."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def accept(self, question: str, entry_id: str) -> None:
        """Store an accepted question (once: the same pending pair is not stored twice)."""
        same = select(_L.id).where(
            _L.question == question, _L.entry_id == entry_id, _L.exported_at.is_(None)
        )
        if await self._session.scalar(same) is None:
            row = LearnedQuestion(question=question, entry_id=entry_id, accepted_at=self._clock())
            self._session.add(row)
            await self._session.flush()

    async def pending(self) -> list[LearnedRecord]:
        """Accepted questions not exported yet, oldest first."""
        query = (
            select(_L.id, _L.question, _L.entry_id)
            .where(_L.exported_at.is_(None))
            .order_by(_L.accepted_at, _L.id)
        )
        return [LearnedRecord(*row) for row in await self._session.execute(query)]

    async def mark_exported(self, ids: Sequence[int]) -> int:
        """Note that these questions are in the files now; returns how many."""
        if not ids:
            return 0
        done = update(_L).where(_L.id.in_(ids)).values(exported_at=self._clock())
        return await affected_rows(self._session, done)


def _grouped(rows: Iterable[tuple[int, str, str, str | None]]) -> list[GapGroup]:
    """Rows newest first → one group per normalised form (picks in order of first sight)."""
    groups: dict[str, tuple[int, str, set[int], list[str]]] = {}
    for row_id, question, normalized, picked in rows:
        _, _, ids, entries = groups.setdefault(normalized, (row_id, question, set(), []))
        ids.add(row_id)
        if picked is not None and picked not in entries:
            entries.append(picked)
    return [
        GapGroup(normalized, example_id, example, len(ids), tuple(entries))
        for normalized, (example_id, example, ids, entries) in groups.items()
    ]
