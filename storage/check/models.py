"""Tables of the Digitalisierungs-Check: sessions, one row per given answer, results, re-checks.

A session belongs to a user and is deleted with them (``ON DELETE CASCADE``). A user has at most
one unfinished session: a partial unique index on ``user_id`` over the statuses ``open`` and
``paused`` enforces it in the database on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime

STATUSES = ("open", "paused", "finished", "cancelled")
UNFINISHED = "status IN ('open', 'paused')"
MUNICIPALITY_MAX_CHARS = 80
VERSION_MAX_CHARS = 16
STEP_ID_MAX_CHARS = 16


class CheckSession(Base):
    """One run through the questionnaire; ``position`` is the index of the current step."""

    __tablename__ = "check_sessions"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'paused', 'finished', 'cancelled')", name="status"),
        Index(
            "uq_check_sessions_one_unfinished",
            "user_id",
            unique=True,
            sqlite_where=text(UNFINISHED),
            postgresql_where=text(UNFINISHED),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(VERSION_MAX_CHARS))
    position: Mapped[int] = mapped_column(Integer)
    municipality: Mapped[str | None] = mapped_column(String(MUNICIPALITY_MAX_CHARS))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckAnswer(Base):
    """One answer of a session: ``score`` 0–4, or ``NULL`` for "Weiß nicht"."""

    __tablename__ = "check_answers"
    __table_args__ = (
        UniqueConstraint("session_id", "question_id"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 4", name="score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("check_sessions.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(STEP_ID_MAX_CHARS))
    score: Mapped[int | None] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckResult(Base):
    """The scored result of a finished session (what export and comparisons read)."""

    __tablename__ = "check_results"
    __table_args__ = (Index(None, "municipality_key"), Index(None, "size_class"))

    session_id: Mapped[int] = mapped_column(
        ForeignKey("check_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    municipality: Mapped[str] = mapped_column(String(MUNICIPALITY_MAX_CHARS))
    municipality_key: Mapped[str] = mapped_column(String(MUNICIPALITY_MAX_CHARS))
    size_class: Mapped[int | None] = mapped_column(SmallInteger)
    version: Mapped[str] = mapped_column(String(VERSION_MAX_CHARS))
    overall: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    targets: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # dimension id → target level


class CheckReminder(Base):
    """The one re-check question per user, due a year after their latest result.

    Replaced by the next result, deleted when the user declines it and with the user;
    ``sent_at`` is set when the sweep claims it, so it goes out once only.
    """

    __tablename__ = "check_reminders"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(ForeignKey("check_sessions.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
