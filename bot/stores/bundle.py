"""The stores every adapter wires the engine from, built once over one database."""

from __future__ import annotations

from dataclasses import dataclass

from bot.stores.question_buffer import FLUSH_DELAY_S
from bot.stores.questions import QuestionStore
from bot.stores.shown import ShownEntries
from bot.stores.stats import DatabaseStats
from bot.stores.user_data import DatabaseUserData
from bot.stores.users import UserDirectory
from storage.db import Database


@dataclass(frozen=True)
class Stores:
    """One instance of each cross-feature store (the feature stores are built per feature)."""

    users: UserDirectory
    questions: QuestionStore
    shown: ShownEntries
    user_data: DatabaseUserData
    stats: DatabaseStats

    @classmethod
    def open(
        cls,
        database: Database,
        secret: str,
        retention_days: int,
        *,
        question_delay: float = FLUSH_DELAY_S,
    ) -> Stores:
        """The stores on ``database``; ``secret`` keys the pseudonyms."""
        users = UserDirectory(database)
        questions = QuestionStore(database, secret, delay=question_delay)
        return cls(
            users=users,
            questions=questions,
            shown=ShownEntries(database),
            user_data=DatabaseUserData(database, secret, users, questions),
            stats=DatabaseStats(database, retention_days, questions),
        )

    async def close(self) -> None:
        """Write what is queued (at shutdown)."""
        await self.questions.close()
