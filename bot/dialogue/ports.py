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
