"""Usage figures for /statistik and the question log's retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.features.admin.chart import WEEKS
from bot.features.admin.feature import EntryRating, Stats
from bot.stores.questions import QuestionStore
from storage.db import Database
from storage.editorial.learned import GapQueueRepository
from storage.questions.feedback import FeedbackRepository
from storage.questions.log import QuestionLogRepository
from storage.users import UserRepository


class DatabaseStats:
    """``StatsStore`` on the database, over the retention window; reads flush the log first."""

    def __init__(self, database: Database, retention_days: int, questions: QuestionStore) -> None:
        self._db = database
        self._retention = timedelta(days=retention_days)
        self._questions = questions

    async def stats(self) -> Stats:
        """Usage figures within the retention window."""
        await self._questions.flush()
        async with self._db.session() as session:
            users = UserRepository(session)
            log, votes = QuestionLogRepository(session), FeedbackRepository(session)
            outcomes = await log.outcome_counts()
            feedback = await votes.summary()
            worst = await votes.worst_rated()
            asked = await log.asked_since(datetime.now(UTC) - timedelta(weeks=WEEKS + 1))
            return Stats(
                users=await users.count(),
                active_users=await users.count(active_only=True),
                outcomes=outcomes,
                feedback_up=feedback.up,
                feedback_down=feedback.down,
                window_days=self._retention.days,
                worst=tuple(EntryRating(r.entry_id, r.up, r.down) for r in worst),
                asked=tuple(asked),
            )

    async def purge_expired(self) -> int:
        """Delete question-log rows (and decisions on them) older than the retention period."""
        await self._questions.flush()
        async with self._db.session() as session:
            cutoff = datetime.now(UTC) - self._retention
            await GapQueueRepository(session).purge_older_than(cutoff)
            return await QuestionLogRepository(session).purge_older_than(cutoff)
