"""What the engine needs from the outside world, as protocols (storage implements them)."""

from __future__ import annotations

from typing import Protocol


class QuestionLog(Protocol):
    """Records every knowledge question with its outcome (pseudonymously, in storage)."""

    async def record(
        self, user_id: int, question: str, outcome: str, entry_id: str | None, confidence: float
    ) -> None:
        """Store one question and how it was answered."""


class FeedbackLog(Protocol):
    """Records 👍/👎 votes on answers."""

    async def vote(self, user_id: int, entry_id: str, vote: int) -> None:
        """Store (or change) the user's vote on an entry."""


class RecentEntries(Protocol):
    """The entry a user was shown last, for follow-ups ("Und wie viel Geld gab es da?")."""

    async def last_shown(self, user_id: int) -> str | None:
        """The id of the entry shown to the user within the follow-up window, if any."""

    async def remember_shown(self, user_id: int, entry_id: str) -> None:
        """Note that the user was just shown ``entry_id``."""


class PickLog(Protocol):
    """Records which entry a user picked after the bot's suggestions (pseudonymously)."""

    async def record_pick(self, user_id: int, entry_id: str, *, offered: bool) -> None:
        """Note the pick; ``offered``: it was an "Oder …" button under an answer."""
