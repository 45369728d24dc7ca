"""The entry a user was shown last, kept in their dialogue state for follow-up questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.state import StateRepository, UnknownUserError

# A follow-up ("Und wer hat entschieden?") refers to the entry shown within this window.
FOLLOW_UP_WINDOW = timedelta(minutes=30)
SHOWN, SHOWN_AT = "shown", "shown_at"


class ShownEntries:
    """``RecentEntries`` on the user's state row: the entry id only, never the question."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def last_shown(self, user_id: int) -> str | None:
        """The entry the user was shown within :data:`FOLLOW_UP_WINDOW`, if any."""
        async with self._db.session() as session:
            state = await StateRepository(session).load(user_id) or {}
        entry_id, at = state.get(SHOWN), state.get(SHOWN_AT)
        if not isinstance(entry_id, str) or not isinstance(at, str):
            return None
        fresh = datetime.now(UTC) - datetime.fromisoformat(at) <= FOLLOW_UP_WINDOW
        return entry_id if fresh else None

    async def remember_shown(self, user_id: int, entry_id: str) -> None:
        """Keep the entry id for follow-ups; other state stays as it is."""
        async with self._db.session() as session:
            states = StateRepository(session)
            state = await states.load(user_id) or {}
            state.update({SHOWN: entry_id, SHOWN_AT: datetime.now(UTC).isoformat()})
            try:
                await states.save(user_id, state)
            except UnknownUserError:  # never touched (no private chat yet): nothing to keep
                return
