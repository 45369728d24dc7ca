"""Who can be reached where: the user rows, written at most every ten minutes per user."""

from __future__ import annotations

import time

from storage.db import Database
from storage.users import UserRepository

# A user's row is rewritten at most this often (``last_seen_at`` is that precise); every
# message would otherwise cost a database write.
TOUCH_INTERVAL_S = 600.0


class UserDirectory:
    """The one way to record that a user is reachable, or blocked the bot (row and cache)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._touched: dict[int, tuple[int, float]] = {}  # user id -> (chat id, monotonic time)

    async def touch_user(self, user_id: int, chat_id: int, *, force: bool = False) -> None:
        """Remember that the user is reachable in ``chat_id`` (written at most every 10 min).

        ``force`` writes at once: the user just unblocked the bot, which a broadcast may have
        recorded as blocked behind this cache's back.
        """
        known = self._touched.get(user_id)
        fresh = known is not None and time.monotonic() - known[1] < TOUCH_INTERVAL_S
        if fresh and not force and known is not None and known[0] == chat_id:
            return
        async with self._db.session() as session:
            await UserRepository(session).touch(user_id, chat_id)
        self._touched[user_id] = (chat_id, time.monotonic())

    async def mark_inactive(self, user_id: int) -> None:
        """The user blocked the bot."""
        self.forget(user_id)
        async with self._db.session() as session:
            await UserRepository(session).mark_inactive(user_id)

    def forget(self, user_id: int) -> None:
        """Drop the cached touch (the user's row is gone or must be written again)."""
        self._touched.pop(user_id, None)
