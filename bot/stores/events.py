"""The event feature's storage, on ``storage`` (one short transaction per call)."""

from __future__ import annotations

from datetime import datetime

from bot.features.events.announcement import DEFAULT_REMINDERS, Draft
from storage.db import Database
from storage.events.outbox import OutboxRepository
from storage.events.records import AnnouncementRecord, Attendee, EventRecord, RsvpCounts
from storage.events.repository import EventRepository


class DatabaseEventStore:
    """Subscriptions, events, RSVPs and announcements on the database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def set_subscription(self, user_id: int, chat_id: int, active: bool) -> bool:
        """Opt in or out; ``True`` if that changed anything."""
        async with self._db.session() as session:
            return await EventRepository(session).set_subscription(user_id, chat_id, active)

    async def is_subscribed(self, user_id: int) -> bool:
        """Whether the user receives announcements."""
        async with self._db.session() as session:
            return await EventRepository(session).is_subscribed(user_id)

    async def upcoming(
        self, now: datetime, limit: int, *, published_only: bool = True
    ) -> list[EventRecord]:
        """Events not started yet; only announced ones unless an organiser asks."""
        async with self._db.session() as session:
            return await EventRepository(session).upcoming(
                now, limit, published_only=published_only
            )

    async def event(self, event_id: int, *, published_only: bool = True) -> EventRecord | None:
        """One event; a draft only if an organiser asks (``published_only=False``)."""
        async with self._db.session() as session:
            return await EventRepository(session).get_event(event_id, published_only=published_only)

    async def rsvp(
        self, user_id: int, chat_id: int, event_id: int, attending: bool
    ) -> tuple[bool, RsvpCounts]:
        """Store the answer; whether it changed, and the new counts."""
        async with self._db.session() as session:
            events = EventRepository(session)
            changed = (await events.rsvps_of(user_id)).get(event_id) != attending
            if changed:
                await events.set_rsvp(user_id, chat_id, event_id, attending)
            return changed, await events.counts(event_id)

    async def rsvps_of(self, user_id: int) -> dict[int, bool]:
        """The user's answers by event id."""
        async with self._db.session() as session:
            return await EventRepository(session).rsvps_of(user_id)

    async def counts(self, event_id: int) -> RsvpCounts:
        """Yes/no counts."""
        async with self._db.session() as session:
            return await EventRepository(session).counts(event_id)

    async def attendees(self, event_id: int) -> list[Attendee]:
        """All answers to an event."""
        async with self._db.session() as session:
            return await EventRepository(session).attendees(event_id)

    async def add_event(self, draft: Draft) -> EventRecord:
        """Store an event with the default reminders."""
        async with self._db.session() as session:
            return await EventRepository(session).add_event(
                draft.title, draft.starts_at, draft.place, draft.description, DEFAULT_REMINDERS
            )

    async def draft_announcement(
        self, event_id: int, html: str, admin_chat_id: int
    ) -> tuple[AnnouncementRecord, int]:
        """A draft announcement and the number of recipients it would reach now."""
        async with self._db.session() as session:
            announcement = await OutboxRepository(session).create(event_id, html, admin_chat_id)
            return announcement, await EventRepository(session).count_recipients()

    async def start_broadcast(
        self, announcement_id: int, control_message_id: int | None = None
    ) -> int | None:
        """Write the outbox rows and remember the message that shows the progress, at once;
        their number, or ``None`` if no longer a draft (or a funding call's announcement, see
        ``bot.stores.funding``)."""
        async with self._db.session() as session:
            outbox = OutboxRepository(session)
            found = await outbox.get(announcement_id)
            if found is None or found.event_id is None:
                return None
            total = await outbox.start(announcement_id)
            if total is not None and control_message_id is not None:
                await outbox.set_control_message(announcement_id, control_message_id)
            return total

    async def resend_failed(self, announcement_id: int) -> int | None:
        """Queue a done broadcast's failed rows again: how many, ``None`` unless it was done."""
        async with self._db.session() as session:
            return await OutboxRepository(session).resend_failed(announcement_id)

    async def announcement_status(self, announcement_id: int) -> str | None:
        """``draft``, ``sending``, ``done`` or ``cancelled``; ``None`` if there is none."""
        async with self._db.session() as session:
            found = await OutboxRepository(session).get(announcement_id)
            return None if found is None else found.status

    async def cancel(self, announcement_id: int) -> bool:
        """Cancel a draft and discard its event; ``False`` if it was no draft."""
        async with self._db.session() as session:
            found = await OutboxRepository(session).cancel_draft(announcement_id)
            if found is None or found.event_id is None:
                return False
            await EventRepository(session).delete_event(found.event_id)
            return True
