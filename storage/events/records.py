"""Frozen values returned by the event and outbox repositories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EventRecord:
    """A stored event (``starts_at`` is aware UTC)."""

    id: int
    title: str
    starts_at: datetime
    place: str
    description: str
    reminder_minutes: tuple[int, ...]


@dataclass(frozen=True)
class RsvpCounts:
    """How many said yes and no."""

    yes: int = 0
    no: int = 0


@dataclass(frozen=True)
class Attendee:
    """One RSVP with the user's Telegram id."""

    telegram_user_id: int
    attending: bool
    updated_at: datetime


@dataclass(frozen=True)
class AnnouncementRecord:
    """A broadcast of an event, or of a funding call (``event_id`` then ``None``)."""

    id: int
    event_id: int | None
    html: str
    admin_chat_id: int
    control_message_id: int | None
    status: str
    total: int
    funding_call_id: int | None = None


@dataclass(frozen=True)
class OutboxItem:
    """One message still to deliver."""

    id: int
    announcement_id: int
    telegram_user_id: int
    chat_id: int
    attempts: int


@dataclass(frozen=True)
class OutboxCounts:
    """Rows of one announcement per status."""

    pending: int = 0
    sending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0

    @property
    def done(self) -> int:
        """Rows that reached a final state."""
        return self.sent + self.blocked + self.failed

    @property
    def total(self) -> int:
        """All rows."""
        return self.done + self.pending + self.sending
