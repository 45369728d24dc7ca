"""The re-check question a year after a result: one row per user, claimed before it is sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows, upsert
from storage.check.models import CheckReminder, CheckResult
from storage.check.records import CheckReminderRecord
from storage.models import User


class CheckReminderRepository:
    """Schedule, cancel and claim re-check reminders (keyed by the Telegram user id)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def schedule(
        self, telegram_user_id: int, chat_id: int, session_id: int, due_at: datetime
    ) -> None:
        """Ask the user at ``due_at`` (replaces an earlier reminder, sent or not)."""
        user_id = await self._user_id(telegram_user_id)
        if user_id is None:
            return
        values = {
            "user_id": user_id,
            "session_id": session_id,
            "chat_id": chat_id,
            "due_at": due_at,
            "sent_at": None,
        }
        columns = ("session_id", "chat_id", "due_at", "sent_at")
        await upsert(self._session, CheckReminder, values, ("user_id",), columns)

    async def cancel(self, telegram_user_id: int, session_id: int | None = None) -> bool:
        """Drop the user's reminder (only the one after ``session_id`` if given: a reminder
        declined late must not cancel the one a newer result planned); whether there was one."""
        user_id = await self._user_id(telegram_user_id)
        if user_id is None:
            return False
        statement = delete(CheckReminder).where(CheckReminder.user_id == user_id)
        if session_id is not None:
            statement = statement.where(CheckReminder.session_id == session_id)
        return await affected_rows(self._session, statement) > 0

    async def due(self, now: datetime, limit: int) -> list[CheckReminderRecord]:
        """Unsent reminders due at ``now`` for users who have not blocked the bot, oldest first."""
        query = (
            select(
                User.telegram_user_id,
                CheckReminder.chat_id,
                CheckReminder.session_id,
                CheckReminder.due_at,
                CheckResult.municipality,
                CheckResult.finished_at,
            )
            .join(User, User.id == CheckReminder.user_id)
            .join(CheckResult, CheckResult.session_id == CheckReminder.session_id)
            .where(
                CheckReminder.sent_at.is_(None),
                CheckReminder.due_at <= now,
                User.is_active.is_(True),
            )
            .order_by(CheckReminder.due_at)
            .limit(limit)
        )
        return [CheckReminderRecord(*row) for row in (await self._session.execute(query)).all()]

    async def claim(self, reminder: CheckReminderRecord, now: datetime) -> bool:
        """Mark the reminder sent; ``False`` if another sweep (or a new check) got there first."""
        user_id = select(User.id).where(User.telegram_user_id == reminder.telegram_user_id)
        statement = (
            update(CheckReminder)
            .where(
                CheckReminder.user_id == user_id.scalar_subquery(),
                CheckReminder.session_id == reminder.session_id,
                CheckReminder.sent_at.is_(None),
            )
            .values(sent_at=now)
        )
        return await affected_rows(self._session, statement) == 1

    async def _user_id(self, telegram_user_id: int) -> int | None:
        query = select(User.id).where(User.telegram_user_id == telegram_user_id)
        return await self._session.scalar(query)
