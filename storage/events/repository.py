"""Subscriptions, events, RSVPs and sent reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows, upsert
from storage.events.models import Announcement, Event, ReminderSent, Rsvp, Subscription
from storage.events.records import Attendee, EventRecord, RsvpCounts
from storage.models import User
from storage.types import Clock, utcnow
from storage.users import UserRepository

_EVENT_COLUMNS = (
    Event.id,
    Event.title,
    Event.starts_at,
    Event.place,
    Event.description,
    Event.reminder_minutes,
)


PUBLISHED_STATUSES = ("sending", "done")


def _is_published() -> ColumnElement[bool]:
    """The event's announcement went out ("Jetzt senden"): drafts are not public."""
    return exists().where(
        Announcement.event_id == Event.id, Announcement.status.in_(PUBLISHED_STATUSES)
    )


def _event(row: Any) -> EventRecord:
    minutes = row.reminder_minutes if isinstance(row.reminder_minutes, list) else []
    return EventRecord(
        id=row.id,
        title=row.title,
        starts_at=row.starts_at,
        place=row.place,
        description=row.description,
        reminder_minutes=tuple(int(m) for m in minutes),
    )


def recipients_query() -> Select[int, int]:
    """Active subscribers whose user has not blocked the bot: ``(users.id, chat_id)``."""
    return (
        select(User.id, User.chat_id)
        .join(Subscription, Subscription.user_id == User.id)
        .where(Subscription.is_active.is_(True), User.is_active.is_(True))
    )


class EventRepository:
    """Everything about events except the broadcast outbox."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def _user_pk(self, telegram_user_id: int, chat_id: int | None = None) -> int | None:
        if chat_id is not None:
            await UserRepository(self._session, self._clock).touch(telegram_user_id, chat_id)
        query = select(User.id).where(User.telegram_user_id == telegram_user_id)
        return await self._session.scalar(query)

    async def set_subscription(self, telegram_user_id: int, chat_id: int, active: bool) -> bool:
        """Opt in or out; ``True`` if that changed the user's state."""
        before = await self.is_subscribed(telegram_user_id)
        user = await self._user_pk(telegram_user_id, chat_id)
        values = {"user_id": user, "is_active": active, "updated_at": self._clock()}
        await upsert(self._session, Subscription, values, ["user_id"], ["is_active", "updated_at"])
        return before != active

    async def is_subscribed(self, telegram_user_id: int) -> bool:
        """Whether the user currently receives announcements."""
        query = (
            select(Subscription.is_active)
            .join(User, User.id == Subscription.user_id)
            .where(User.telegram_user_id == telegram_user_id)
        )
        return bool(await self._session.scalar(query))

    async def count_recipients(self) -> int:
        """How many users an announcement would reach now."""
        inner = recipients_query().subquery()
        return int(await self._session.scalar(select(func.count()).select_from(inner)) or 0)

    async def add_event(
        self,
        title: str,
        starts_at: datetime,
        place: str,
        description: str,
        reminders: Sequence[int],
    ) -> EventRecord:
        """Store a new event."""
        event = Event(
            title=title,
            starts_at=starts_at,
            place=place,
            description=description,
            reminder_minutes=list(reminders),
            created_at=self._clock(),
        )
        self._session.add(event)
        await self._session.flush()
        return EventRecord(event.id, title, starts_at, place, description, tuple(reminders))

    async def get_event(self, event_id: int, *, published_only: bool = False) -> EventRecord | None:
        """One event, or ``None`` (also for a draft when ``published_only``)."""
        query = select(*_EVENT_COLUMNS).where(Event.id == event_id)
        if published_only:
            query = query.where(_is_published())
        row = (await self._session.execute(query)).one_or_none()
        return None if row is None else _event(row)

    async def upcoming(
        self, now: datetime, limit: int = 10, *, published_only: bool = False
    ) -> list[EventRecord]:
        """Events not started yet, soonest first (only announced ones if ``published_only``)."""
        query = select(*_EVENT_COLUMNS).where(Event.starts_at >= now)
        if published_only:
            query = query.where(_is_published())
        query = query.order_by(Event.starts_at, Event.id).limit(limit)
        return [_event(row) for row in await self._session.execute(query)]

    async def delete_event(self, event_id: int) -> bool:
        """Remove an event with its RSVPs and announcements."""
        return await affected_rows(self._session, delete(Event).where(Event.id == event_id)) > 0

    async def set_rsvp(
        self, telegram_user_id: int, chat_id: int, event_id: int, attending: bool
    ) -> None:
        """Record (or change) the user's answer."""
        user = await self._user_pk(telegram_user_id, chat_id)
        values = {
            "event_id": event_id,
            "user_id": user,
            "attending": attending,
            "updated_at": self._clock(),
        }
        await upsert(
            self._session, Rsvp, values, ["event_id", "user_id"], ["attending", "updated_at"]
        )

    async def rsvps_of(self, telegram_user_id: int) -> dict[int, bool]:
        """The user's answers by event id."""
        query = (
            select(Rsvp.event_id, Rsvp.attending)
            .join(User, User.id == Rsvp.user_id)
            .where(User.telegram_user_id == telegram_user_id)
        )
        return {int(event): bool(yes) for event, yes in await self._session.execute(query)}

    async def counts(self, event_id: int) -> RsvpCounts:
        """Yes and no answers of an event."""
        query = (
            select(Rsvp.attending, func.count())
            .where(Rsvp.event_id == event_id)
            .group_by(Rsvp.attending)
        )
        found = {bool(yes): int(n) for yes, n in await self._session.execute(query)}
        return RsvpCounts(yes=found.get(True, 0), no=found.get(False, 0))

    async def attendees(self, event_id: int) -> list[Attendee]:
        """Every answer to an event, newest first."""
        query = (
            select(User.telegram_user_id, Rsvp.attending, Rsvp.updated_at)
            .join(User, User.id == Rsvp.user_id)
            .where(Rsvp.event_id == event_id)
            .order_by(Rsvp.updated_at.desc(), Rsvp.id.desc())
        )
        return [Attendee(*row) for row in await self._session.execute(query)]

    async def attending_chats(self, event_id: int) -> list[tuple[int, int]]:
        """``(telegram_user_id, chat_id)`` of active users who said yes (reminder recipients)."""
        query = (
            select(User.telegram_user_id, User.chat_id)
            .join(Rsvp, and_(Rsvp.user_id == User.id, Rsvp.event_id == event_id))
            .where(Rsvp.attending.is_(True), User.is_active.is_(True))
            .order_by(User.id)
        )
        return [(int(user), int(chat)) for user, chat in await self._session.execute(query)]

    async def claim_reminder(self, event_id: int, offset_minutes: int) -> bool:
        """Mark a reminder as sent; ``False`` if it already was (then do not send it again)."""
        values = {"event_id": event_id, "offset_minutes": offset_minutes, "sent_at": self._clock()}
        dialect = self._session.get_bind().dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        stmt = module.insert(ReminderSent).values(**values).on_conflict_do_nothing()
        return await affected_rows(self._session, stmt) > 0

    async def sent_reminders(self, event_id: int) -> set[int]:
        """Offsets of the event's reminders that have gone out."""
        query = select(ReminderSent.offset_minutes).where(ReminderSent.event_id == event_id)
        return {int(m) for m in await self._session.scalars(query)}
