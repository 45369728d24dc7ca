"""What network events need from storage, as protocols (``bot.stores.events`` implements them).

The records are read-only views: storage's frozen dataclasses satisfy them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.features.events.announcement import Draft


class Event(Protocol):
    """A network event as stored."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def place(self) -> str: ...
    @property
    def description(self) -> str: ...


class RsvpTally(Protocol):
    """Yes and no answers to an event."""

    @property
    def yes(self) -> int: ...
    @property
    def no(self) -> int: ...


class Attendee(Protocol):
    """One user's answer to an event."""

    @property
    def telegram_user_id(self) -> int: ...
    @property
    def attending(self) -> bool: ...
    @property
    def updated_at(self) -> datetime: ...


class DeliveryTally(Protocol):
    """A finished broadcast's outcome, for the admin's report."""

    @property
    def sent(self) -> int: ...
    @property
    def blocked(self) -> int: ...
    @property
    def failed(self) -> int: ...


class Announcement(Protocol):
    """A stored announcement (only its id is needed here)."""

    @property
    def id(self) -> int: ...


class EventStore(Protocol):
    """Subscriptions, events, RSVPs and announcements; one short transaction per call."""

    async def set_subscription(self, user_id: int, chat_id: int, active: bool) -> bool:
        """Opt in or out; ``True`` if that changed anything."""

    async def is_subscribed(self, user_id: int) -> bool:
        """Whether the user receives announcements."""

    async def upcoming(
        self, now: datetime, limit: int, *, published_only: bool = True
    ) -> Sequence[Event]:
        """Events not started yet; only announced ones unless an organiser asks."""

    async def event(self, event_id: int, *, published_only: bool = True) -> Event | None:
        """One event; a draft only if an organiser asks."""

    async def rsvp(
        self, user_id: int, chat_id: int, event_id: int, attending: bool
    ) -> tuple[bool, RsvpTally]:
        """Store the answer; whether it changed, and the new counts."""

    async def rsvps_of(self, user_id: int) -> dict[int, bool]:
        """The user's answers by event id."""

    async def counts(self, event_id: int) -> RsvpTally:
        """Yes/no counts."""

    async def attendees(self, event_id: int) -> Sequence[Attendee]:
        """All answers to an event."""

    async def add_event(self, draft: Draft) -> Event:
        """Store an event with the default reminders."""

    async def draft_announcement(
        self, event_id: int, html: str, admin_chat_id: int
    ) -> tuple[Announcement, int]:
        """A draft announcement and the number of recipients it would reach now."""

    async def start_broadcast(
        self, announcement_id: int, control_message_id: int | None = None
    ) -> int | None:
        """Write the outbox rows (and the message that shows the progress); their number, or
        ``None`` if no longer a draft."""

    async def resend_failed(self, announcement_id: int) -> int | None:
        """Queue a done broadcast's failed rows again; ``None`` unless it was done."""

    async def announcement_status(self, announcement_id: int) -> str | None:
        """``draft``, ``sending``, ``done`` or ``cancelled``; ``None`` if there is none."""

    async def cancel(self, announcement_id: int) -> bool:
        """Cancel a draft and discard its event; ``False`` if it was no draft."""
