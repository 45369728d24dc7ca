"""Tables of the network-event feature: subscriptions, events, RSVPs and the broadcast outbox.

The outbox holds one row per (announcement, recipient), written in the same transaction that
starts a broadcast, before the first message goes out; the worker moves each row through
``pending → sending → sent | blocked | failed``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime

TITLE_MAX = 200
PLACE_MAX = 300
DESCRIPTION_MAX = 2000
HTML_MAX = 4096
ERROR_MAX = 200
OUTBOX_STATUSES = ("pending", "sending", "sent", "blocked", "failed")
ANNOUNCEMENT_STATUSES = ("draft", "sending", "done", "cancelled")


class Subscription(Base):
    """A user's explicit opt-in to event announcements (DSGVO); ``is_active`` false = opted out."""

    __tablename__ = "subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    is_active: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Event(Base):
    """A network event; ``reminder_minutes`` lists the reminder offsets before the start.

    Ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL): a reminder or a
    button that names a cancelled event never reaches a later one.
    """

    __tablename__ = "events"
    __table_args__ = (Index(None, "starts_at"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(PLACE_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX))
    reminder_minutes: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Rsvp(Base):
    """A user's answer to an event; answering again replaces it (one row per event and user)."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    attending: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Announcement(Base):
    """One broadcast of an event or of a funding call (its publication or its deadline
    reminder): the exact HTML, the admin's chat and the progress message."""

    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sending', 'done', 'cancelled')", name="status"),
        Index(None, "status"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    funding_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("funding_calls.id", ondelete="CASCADE")
    )
    html: Mapped[str] = mapped_column(String(HTML_MAX))
    admin_chat_id: Mapped[int] = mapped_column(BigInteger)
    control_message_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxRow(Base):
    """One announcement to one recipient, with its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("announcement_id", "user_id"),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'blocked', 'failed')", name="status"
        ),
        Index(None, "announcement_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_MAX))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderSent(Base):
    """A reminder (event, offset) that has gone out; claimed before sending, never sent twice."""

    __tablename__ = "reminders_sent"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    offset_minutes: Mapped[int] = mapped_column(Integer, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
