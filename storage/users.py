"""Telegram users: who talked to the bot, where to reach them, whether they still can be."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows, upsert
from storage.models import User
from storage.questions.records import UserRecord
from storage.types import Clock, utcnow

# In the field order of UserRecord; plain columns, so no stale ORM identity map is involved.
_COLUMNS = (User.telegram_user_id, User.chat_id, User.is_active, User.created_at, User.last_seen_at)


class UserRepository:
    """Users keyed by their Telegram user id."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def touch(self, telegram_user_id: int, chat_id: int) -> UserRecord:
        """Create or update the user, set ``last_seen_at`` to now and re-activate them."""
        now = self._clock()
        values = {
            "telegram_user_id": telegram_user_id,
            "chat_id": chat_id,
            "is_active": True,
            "created_at": now,
            "last_seen_at": now,
        }
        changed = ["chat_id", "is_active", "last_seen_at"]
        await upsert(self._session, User, values, ["telegram_user_id"], changed)
        record = await self.get(telegram_user_id)
        if record is None:  # pragma: no cover - the row was written in this transaction
            raise RuntimeError("user vanished right after upsert")
        return record

    async def get(self, telegram_user_id: int) -> UserRecord | None:
        """The stored user, or ``None`` if they never talked to the bot (or were deleted)."""
        query = select(*_COLUMNS).where(User.telegram_user_id == telegram_user_id)
        row = (await self._session.execute(query)).one_or_none()
        return None if row is None else UserRecord(*row)

    async def mark_inactive(self, telegram_user_id: int) -> bool:
        """Remember that the user blocked the bot; ``False`` if the user is unknown."""
        stmt = update(User).where(User.telegram_user_id == telegram_user_id)
        return await affected_rows(self._session, stmt.values(is_active=False)) > 0

    async def count(self, active_only: bool = False) -> int:
        """Number of users, optionally only those who have not blocked the bot."""
        query = select(func.count()).select_from(User)
        if active_only:
            query = query.where(User.is_active.is_(True))
        return int(await self._session.scalar(query) or 0)

    async def delete(self, telegram_user_id: int) -> bool:
        """Delete the user and (by cascade) their conversation state; ``False`` if unknown."""
        stmt = delete(User).where(User.telegram_user_id == telegram_user_id)
        return await affected_rows(self._session, stmt) > 0
