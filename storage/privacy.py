"""DSGVO helpers: pseudonyms, and export (Art. 15) and erasure (Art. 17) of a user's data."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.check.models import CheckAnswer, CheckReminder, CheckResult, CheckSession
from storage.check.repository import CheckRepository
from storage.editorial.repository import PickRepository
from storage.events.models import Event, OutboxRow, Rsvp, Subscription
from storage.events.repository import EventRepository
from storage.funding.models import RadarSubscription
from storage.funding.repository import FundingRepository
from storage.models import User
from storage.questions.feedback import FeedbackRepository
from storage.questions.log import QuestionLogRepository
from storage.state import StateRepository
from storage.users import UserRepository

# Rows that go with the user row (ON DELETE CASCADE), counted before it is deleted.
_OWNED: dict[str, Any] = {
    "check_sessions": CheckSession,
    "check_reminders": CheckReminder,
    "subscriptions": Subscription,
    "rsvps": Rsvp,
    "outbox": OutboxRow,
    "radar_subscriptions": RadarSubscription,
}


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
        "question_picks": await PickRepository(session).for_user(key),
        "checks": await _checks(session, telegram_user_id),
        "check_reminder": await _reminder(session, telegram_user_id),
        "event_subscription": await EventRepository(session).is_subscribed(telegram_user_id),
        "event_rsvps": await _rsvps(session, telegram_user_id),
        "radar_subscription": await FundingRepository(session).export(telegram_user_id),
    }


async def _rsvps(session: AsyncSession, telegram_user_id: int) -> list[dict[str, Any]]:
    """The user's answers to events, with the event's title and start and when they answered."""
    query = (
        select(Rsvp.event_id, Event.title, Event.starts_at, Rsvp.attending, Rsvp.updated_at)
        .join(Event, Event.id == Rsvp.event_id)
        .join(User, User.id == Rsvp.user_id)
        .where(User.telegram_user_id == telegram_user_id)
        .order_by(Event.starts_at, Rsvp.event_id)
    )
    names = ("event_id", "title", "starts_at", "attending", "updated_at")
    rows = (await session.execute(query)).all()
    return [_iso(dict(zip(names, row, strict=True))) for row in rows]


async def _checks(session: AsyncSession, telegram_user_id: int) -> list[dict[str, Any]]:
    """The user's Digitalisierungs-Check sessions with every answer given."""
    checks = CheckRepository(session)
    return [
        {
            **_plain(record),
            "answers": await checks.answers(record.id),
            "result": await _result(session, record.id),
        }
        for record in await checks.sessions_of(telegram_user_id)
    ]


async def _reminder(session: AsyncSession, telegram_user_id: int) -> dict[str, Any] | None:
    """When the user will be (or was) asked to repeat the check (``None`` if never)."""
    query = (
        select(CheckReminder.due_at, CheckReminder.sent_at)
        .join(User, User.id == CheckReminder.user_id)
        .where(User.telegram_user_id == telegram_user_id)
    )
    row = (await session.execute(query)).first()
    return None if row is None else _iso({"due_at": row.due_at, "sent_at": row.sent_at})


async def _result(session: AsyncSession, session_id: int) -> dict[str, Any] | None:
    """The stored result of a finished check session (``None`` while unfinished)."""
    row = await session.get(CheckResult, session_id)
    if row is None:
        return None
    names = ("municipality", "size_class", "version", "overall", "level", "dimensions", "targets")
    return _iso({name: getattr(row, name) for name in (*names, "finished_at")})


async def delete_user_data(
    session: AsyncSession, telegram_user_id: int, secret: str
) -> dict[str, int]:
    """Delete everything stored about the user; returns the number of rows deleted per table."""
    key = pseudonym(telegram_user_id, secret)
    states = StateRepository(session)
    had_state = await states.load(telegram_user_id) is not None
    await states.clear(telegram_user_id)
    owned = await _owned_counts(session, telegram_user_id)
    picks = await PickRepository(session).count_for_user(key)  # they go with the questions
    return {
        "users": int(await UserRepository(session).delete(telegram_user_id)),
        "conversation_states": int(had_state),
        "question_log": await QuestionLogRepository(session).delete_for_user(key),
        "question_picks": picks,
        "feedback": await FeedbackRepository(session).delete_for_user(key),
        **owned,
    }


async def _owned_counts(session: AsyncSession, telegram_user_id: int) -> dict[str, int]:
    """Rows the user row's deletion takes with it, by table (check answers and results too)."""
    mine = User.telegram_user_id == telegram_user_id
    counts: dict[str, int] = {}
    for name, model in _OWNED.items():
        owner = select(func.count()).select_from(model).join(User, User.id == model.user_id)
        counts[name] = await _scalar(session, owner.where(mine))
    sessions = select(CheckSession.id).join(User, User.id == CheckSession.user_id).where(mine)
    for name, part in (("check_answers", CheckAnswer), ("check_results", CheckResult)):
        query = select(func.count()).select_from(part).where(part.session_id.in_(sessions))
        counts[name] = await _scalar(session, query)
    return counts


async def _scalar(session: AsyncSession, query: Select[int]) -> int:
    return int(await session.scalar(query) or 0)


def _iso(values: dict[str, Any]) -> dict[str, Any]:
    """Timestamps as ISO 8601 strings, everything else as it is."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _plain(record: Any) -> dict[str, Any]:
    """A record dataclass as a dict of JSON-ready values."""
    return _iso(dataclasses.asdict(record))
