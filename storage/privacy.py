"""DSGVO helpers: pseudonyms, and export (Art. 15) and erasure (Art. 17) of a user's data."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.check_repository import CheckRepository
from storage.events import EventRepository
from storage.feedback import FeedbackRepository
from storage.question_log import QuestionLogRepository
from storage.state import StateRepository
from storage.users import UserRepository


def pseudonym(telegram_user_id: int, secret: str) -> str:
    """The user's key in logs: hex HMAC-SHA256 of the Telegram user id under ``secret``.

    Stable for one secret, so a user's rows can still be exported and deleted; without the
    secret the key cannot be traced back to the Telegram account.
    """
    if not secret:
        raise ValueError("the pseudonym secret must not be empty")
    message = str(int(telegram_user_id)).encode("ascii")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


async def export_user_data(
    session: AsyncSession, telegram_user_id: int, secret: str
) -> dict[str, Any]:
    """Everything stored about the user, JSON-serialisable (timestamps as ISO 8601 strings)."""
    key = pseudonym(telegram_user_id, secret)
    user = await UserRepository(session).get(telegram_user_id)
    questions = await QuestionLogRepository(session).for_user(key)
    votes = await FeedbackRepository(session).for_user(key)
    return {
        "user": None if user is None else _plain(user),
        "conversation_state": await StateRepository(session).load(telegram_user_id),
        "question_log": [_plain(question) for question in questions],
        "feedback": [_plain(vote) for vote in votes],
        "checks": await _checks(session, telegram_user_id),
        "event_subscription": await EventRepository(session).is_subscribed(telegram_user_id),
        "event_rsvps": [
            {"event_id": event, "attending": attending}
            for event, attending in (
                await EventRepository(session).rsvps_of(telegram_user_id)
            ).items()
        ],
    }


async def _checks(session: AsyncSession, telegram_user_id: int) -> list[dict[str, Any]]:
    """The user's Digitalisierungs-Check sessions with every answer given."""
    checks = CheckRepository(session)
    return [
        {**_plain(record), "answers": await checks.answers(record.id)}
        for record in await checks.sessions_of(telegram_user_id)
    ]


async def delete_user_data(
    session: AsyncSession, telegram_user_id: int, secret: str
) -> dict[str, int]:
    """Delete everything stored about the user; returns the number of rows deleted per table."""
    key = pseudonym(telegram_user_id, secret)
    states = StateRepository(session)
    had_state = await states.load(telegram_user_id) is not None
    await states.clear(telegram_user_id)
    return {
        "users": int(await UserRepository(session).delete(telegram_user_id)),
        "conversation_states": int(had_state),
        "question_log": await QuestionLogRepository(session).delete_for_user(key),
        "feedback": await FeedbackRepository(session).delete_for_user(key),
    }


def _plain(record: Any) -> dict[str, Any]:
    """A record dataclass as a dict of JSON-ready values."""
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in dataclasses.asdict(record).items()
    }
