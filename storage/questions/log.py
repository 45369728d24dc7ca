"""Pseudonymous log of knowledge questions: outcome statistics, export, erasure, retention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows
from storage.models import OUTCOMES, QUESTION_MAX_CHARS, QuestionLogEntry
from storage.questions.records import LoggedOutcome, NewQuestion, QuestionRecord
from storage.types import Clock, utcnow

_Q = QuestionLogEntry
_INSERT = insert(cast(Table, QuestionLogEntry.__table__))  # Core: no ORM bulk machinery
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


class QuestionLogRepository:
    """Questions keyed by the user's pseudonym (``storage.privacy.pseudonym``)."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def record(
        self,
        user_key: str,
        question: str,
        normalized: str,
        outcome: LoggedOutcome,
        entry_id: str | None,
        confidence: float,
    ) -> None:
        """Log one question; texts longer than 500 characters are cut."""
        row = NewQuestion(
            user_key, question, normalized, outcome, entry_id, confidence, self._clock()
        )
        await self.record_many([row])

    async def record_many(self, rows: Sequence[NewQuestion]) -> None:
        """Log several questions in one statement; texts longer than 500 characters are cut."""
        for row in rows:
            if row.outcome not in OUTCOMES:
                raise ValueError(f"outcome must be one of {OUTCOMES}, got {row.outcome!r}")
        if not rows:
            return
        # A Core INSERT with a parameter list: it runs for every question, and both the ORM's
        # unit of work and an ORM-enabled insert().values() cost more than the statement.
        await self._session.execute(
            _INSERT,
            [
                {
                    "user_key": row.user_key,
                    "question": row.question[:QUESTION_MAX_CHARS],
                    "normalized": row.normalized[:QUESTION_MAX_CHARS],
                    "outcome": row.outcome,
                    "entry_id": row.entry_id,
                    "confidence": float(row.confidence),
                    "created_at": row.created_at,
                }
                for row in rows
            ],
        )

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Delete every question logged before ``cutoff``; returns how many."""
        return await affected_rows(self._session, delete(_Q).where(_Q.created_at < cutoff))

    async def outcome_counts(self, since: datetime | None = None) -> dict[str, int]:
        """Questions per outcome (every outcome present, zero if none), optionally since a time."""
        query = _since(select(_Q.outcome, func.count()).group_by(_Q.outcome), since)
        counts = dict.fromkeys(OUTCOMES, 0)
        for outcome, count in await self._session.execute(query):
            counts[outcome] = int(count)
        return counts

    async def asked_since(self, since: datetime) -> list[tuple[datetime, str]]:
        """When each question since ``since`` was asked and its outcome (for weekly figures)."""
        query = select(_Q.created_at, _Q.outcome).where(_Q.created_at >= since)
        return [(at, outcome) for at, outcome in await self._session.execute(query)]

    async def for_user(self, user_key: str) -> list[QuestionRecord]:
        """Everything logged for one pseudonym, oldest first."""
        query = (
            select(
                _Q.question, _Q.normalized, _Q.outcome, _Q.entry_id, _Q.confidence, _Q.created_at
            )
            .where(_Q.user_key == user_key)
            .order_by(_Q.created_at, _Q.id)
        )
        return [QuestionRecord(*row) for row in await self._session.execute(query)]

    async def delete_for_user(self, user_key: str) -> int:
        """Delete everything logged for one pseudonym; returns how many rows."""
        return await affected_rows(self._session, delete(_Q).where(_Q.user_key == user_key))


def _since(query: _Query, since: datetime | None) -> _Query:
    """Restrict a question-log query to rows logged at or after ``since`` (if given)."""
    return query if since is None else query.where(_Q.created_at >= since)
