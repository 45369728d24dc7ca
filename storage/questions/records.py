"""Frozen values the repositories return; ORM objects never leave ``storage``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

LoggedOutcome = Literal["answer", "suggest", "abstain"]
Vote = Literal[1, -1]


@dataclass(frozen=True)
class UserRecord:
    """A Telegram user as stored (timestamps are aware UTC)."""

    telegram_user_id: int
    chat_id: int
    is_active: bool
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class QuestionRecord:
    """One logged question of a user."""

    question: str
    normalized: str
    outcome: str
    entry_id: str | None
    confidence: float
    created_at: datetime


@dataclass(frozen=True)
class NewQuestion:
    """A question to be logged (see ``QuestionLogRepository.record_many``)."""

    user_key: str
    question: str
    normalized: str
    outcome: LoggedOutcome
    entry_id: str | None
    confidence: float
    created_at: datetime


@dataclass(frozen=True)
class FeedbackRecord:
    """One user's vote on one knowledge entry."""

    entry_id: str
    vote: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EntryVotes:
    """Vote totals of one knowledge entry."""

    entry_id: str
    up: int
    down: int


@dataclass(frozen=True)
class FeedbackSummary:
    """All votes: totals plus the entries with most 👍 (``top_up``) and most 👎 (``top_down``)."""

    up: int
    down: int
    top_up: tuple[EntryVotes, ...]
    top_down: tuple[EntryVotes, ...]
