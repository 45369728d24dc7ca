"""Tables of the Förderradar: funding calls and the radar subscriptions.

A call is a ``draft`` until an admin presses "Jetzt senden" (then ``published``) or
"Abbrechen" (``cancelled``). Its announcement and its deadline reminder are rows of
``announcements`` (``funding_call_id`` set) and go out through the shared outbox; the reminder
is claimed once per call (``reminder_claimed_at``) in the transaction that writes its rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
URL_MAX = 500
TOPIC_MAX = 32
FUNDER_MAX = 200
ELIGIBLE_MAX = 500
AMOUNT_MAX = 200
CALL_STATUSES = ("draft", "published", "cancelled")


class FundingCall(Base):
    """An open funding call with its deadline (a Berlin date, the last day to apply).

    ``funder``, ``eligible`` (who may apply), ``amount`` (amount or rate) and ``stand`` (the
    date of the information) are optional: ``/foerderaufruf`` leaves them empty.
    """

    __tablename__ = "funding_calls"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="status"),
        Index(None, "status", "deadline"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX))
    url: Mapped[str] = mapped_column(String(URL_MAX))
    topic: Mapped[str | None] = mapped_column(String(TOPIC_MAX))
    funder: Mapped[str | None] = mapped_column(String(FUNDER_MAX))
    eligible: Mapped[str | None] = mapped_column(String(ELIGIBLE_MAX))
    amount: Mapped[str | None] = mapped_column(String(AMOUNT_MAX))
    stand: Mapped[date | None] = mapped_column(Date)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    admin_chat_id: Mapped[int] = mapped_column(BigInteger)
    reminder_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RadarSubscription(Base):
    """A user's opt-in to the Förderradar; ``topic`` ``None`` means every topic."""

    __tablename__ = "radar_subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str | None] = mapped_column(String(TOPIC_MAX))
    is_active: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
