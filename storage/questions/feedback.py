"""👍/👎 votes on knowledge entries, one per user and entry, keyed by the user's pseudonym."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, case, cast, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows, upsert
from storage.models import Feedback
from storage.questions.records import EntryVotes, FeedbackRecord, FeedbackSummary, Vote
from storage.types import Clock, utcnow

_Aggregate = ColumnElement[Any]
_UP: _Aggregate = func.coalesce(func.sum(case((Feedback.vote == 1, 1), else_=0)), 0)
_DOWN: _Aggregate = func.coalesce(func.sum(case((Feedback.vote == -1, 1), else_=0)), 0)


class FeedbackRepository:
    """Votes keyed by (pseudonym, entry id); voting again replaces the earlier vote."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def vote(self, user_key: str, entry_id: str, vote: Vote) -> None:
        """Store the vote (+1 or -1), replacing this user's earlier vote on the entry."""
        if vote not in (1, -1):
            raise ValueError(f"vote must be +1 or -1, got {vote!r}")
        now = self._clock()
        values = {
            "user_key": user_key,
            "entry_id": entry_id,
            "vote": vote,
            "created_at": now,
            "updated_at": now,
        }
        key = ["user_key", "entry_id"]
        await upsert(self._session, Feedback, values, key, ["vote", "updated_at"])

    async def summary(self, limit: int = 10) -> FeedbackSummary:
        """Totals and the ``limit`` entries with most 👍 and with most 👎."""
        up, down = (await self._session.execute(select(_UP, _DOWN))).one()
        return FeedbackSummary(
            up=int(up),
            down=int(down),
            top_up=await self._top(_UP, _DOWN, limit),
            top_down=await self._top(_DOWN, _UP, limit),
        )

    async def worst_rated(self, min_votes: int = 2, limit: int = 5) -> tuple[EntryVotes, ...]:
        """Entries with at least ``min_votes`` votes, lowest 👍 share first (ties: more 👎)."""
        share = cast(_UP, Float) / (_UP + _DOWN)
        query = (
            select(Feedback.entry_id, _UP, _DOWN)
            .group_by(Feedback.entry_id)
            .having(func.count(Feedback.id) >= min_votes)
            .order_by(share, _DOWN.desc(), Feedback.entry_id)
            .limit(limit)
        )
        rows = await self._session.execute(query)
        return tuple(EntryVotes(entry_id, int(up), int(down)) for entry_id, up, down in rows)

    async def for_user(self, user_key: str) -> list[FeedbackRecord]:
        """All votes of one pseudonym, oldest first."""
        query = (
            select(Feedback.entry_id, Feedback.vote, Feedback.created_at, Feedback.updated_at)
            .where(Feedback.user_key == user_key)
            .order_by(Feedback.created_at, Feedback.id)
        )
        return [FeedbackRecord(*row) for row in await self._session.execute(query)]

    async def delete_for_user(self, user_key: str) -> int:
        """Delete all votes of one pseudonym; returns how many."""
        stmt = delete(Feedback).where(Feedback.user_key == user_key)
        return await affected_rows(self._session, stmt)

    async def _top(
        self, primary: _Aggregate, secondary: _Aggregate, limit: int
    ) -> tuple[EntryVotes, ...]:
        """Entries with at least one ``primary`` vote, most first (ties: fewer ``secondary``)."""
        query = (
            select(Feedback.entry_id, _UP, _DOWN)
            .group_by(Feedback.entry_id)
            .having(primary > 0)
            .order_by(primary.desc(), secondary, Feedback.entry_id)
            .limit(limit)
        )
        rows = await self._session.execute(query)
        return tuple(EntryVotes(entry_id, int(up), int(down)) for entry_id, up, down in rows)
