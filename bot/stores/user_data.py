"""A user's data, for /meinedaten and /loeschen: everything stored about them, or none of it."""

from __future__ import annotations

from bot.stores.questions import QuestionStore
from bot.stores.users import UserDirectory
from storage.db import Database
from storage.privacy import delete_user_data, export_user_data


class DatabaseUserData:
    """``UserDataStore`` on the database, including what is still queued or cached."""

    def __init__(
        self, database: Database, secret: str, users: UserDirectory, questions: QuestionStore
    ) -> None:
        self._db = database
        self._secret = secret
        self._users = users
        self._questions = questions

    async def export(self, user_id: int) -> dict[str, object]:
        """Everything stored about the user (queued questions written first)."""
        await self._questions.flush()
        async with self._db.session() as session:
            return await export_user_data(session, user_id, self._secret)

    async def delete(self, user_id: int) -> dict[str, int]:
        """Erase the user's data, queued questions included (no flush needed); rows by kind."""
        queued = await self._questions.forget(user_id)
        self._users.forget(user_id)
        async with self._db.session() as session:
            counts = await delete_user_data(session, user_id, self._secret)
        return {**counts, "question_log": counts["question_log"] + queued}
