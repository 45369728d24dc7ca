"""Per-user dialogue state that must survive a restart (a small JSON-serialisable dict)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import upsert
from storage.models import ConversationState, User
from storage.types import Clock, utcnow


class UnknownUserError(LookupError):
    """State was saved for a user who has no row yet: call ``UserRepository.touch`` first."""


class StateRepository:
    """Dialogue state keyed by Telegram user id; deleted together with the user."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def load(self, telegram_user_id: int) -> dict[str, Any] | None:
        """The saved state, or ``None`` if there is none (or the user is unknown)."""
        query = (
            select(ConversationState.state)
            .join(User, User.id == ConversationState.user_id)
            .where(User.telegram_user_id == telegram_user_id)
        )
        state = await self._session.scalar(query)
        return None if state is None else dict(state)

    async def save(self, telegram_user_id: int, state: dict[str, Any]) -> None:
        """Replace the user's state; raises ``UnknownUserError`` if the user has no row."""
        user_id = await self._user_id(telegram_user_id)
        if user_id is None:
            raise UnknownUserError(f"no user row for telegram user {telegram_user_id}")
        values = {"user_id": user_id, "state": state, "updated_at": self._clock()}
        changed = ["state", "updated_at"]
        await upsert(self._session, ConversationState, values, ["user_id"], changed)

    async def clear(self, telegram_user_id: int) -> None:
        """Forget the user's state (nothing happens if there is none)."""
        user_ids = select(User.id).where(User.telegram_user_id == telegram_user_id)
        await self._session.execute(
            delete(ConversationState).where(ConversationState.user_id.in_(user_ids))
        )

    async def _user_id(self, telegram_user_id: int) -> int | None:
        return await self._session.scalar(
            select(User.id).where(User.telegram_user_id == telegram_user_id)
        )
