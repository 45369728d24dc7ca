"""Frozen values of the check repository (ORM objects never leave ``storage``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CheckSessionRecord:
    """A check session with its owner's Telegram user id."""

    id: int
    telegram_user_id: int
    status: str
    version: str
    position: int
    municipality: str | None
    context: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CheckResultRecord:
    """A stored result; ``dimensions`` maps dimension id → score (``None`` when unrated),
    ``targets`` dimension id → target level (``None`` for results stored before targets)."""

    session_id: int
    municipality: str
    municipality_key: str
    size_class: int | None
    version: str
    overall: float | None
    level: int | None
    dimensions: dict[str, float | None]
    finished_at: datetime
    targets: dict[str, int] | None = None


@dataclass(frozen=True)
class CheckReminderRecord:
    """A due re-check question: whom to ask, where, and after which result (its municipality
    and when it was finished, for the question's text)."""

    telegram_user_id: int
    chat_id: int
    session_id: int
    due_at: datetime
    municipality: str
    finished_at: datetime
