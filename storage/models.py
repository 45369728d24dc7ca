"""The tables. The schema itself is created only by the Alembic migrations in ``migrations/``.

DSGVO: store only what a feature needs. Question log and feedback are keyed by a pseudonym
(keyed HMAC of the Telegram user id, see ``storage.privacy``), never by the id itself.

Adding a table: define it here, then ``python -m storage.migrate revision "add xyz"`` writes a
migration to review; ``tests/storage/test_migrate.py`` fails while models and migrations differ.
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
    MetaData,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Deterministic constraint names, so later migrations can address them on PostgreSQL and in
# SQLite batch mode (which recreates tables and needs every constraint named).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

OUTCOMES = ("answer", "suggest", "abstain")
QUESTION_MAX_CHARS = 500
USER_KEY_LENGTH = 64  # hex digest of HMAC-SHA256
ENTRY_ID_MAX_CHARS = 128


class Base(DeclarativeBase):
    """Declarative base holding the shared ``MetaData`` with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A Telegram user who has talked to the bot; ``is_active`` is false once they blocked it."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    is_active: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationState(Base):
    """The small dialogue state of one user that must survive a restart."""

    __tablename__ = "conversation_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionLogEntry(Base):
    """One knowledge question and how it was answered, keyed by the user's pseudonym."""

    __tablename__ = "question_log"
    __table_args__ = (
        CheckConstraint("outcome IN ('answer', 'suggest', 'abstain')", name="outcome"),
        Index(None, "created_at"),
        Index(None, "outcome", "normalized"),
        Index(None, "user_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH))
    question: Mapped[str] = mapped_column(String(QUESTION_MAX_CHARS))
    normalized: Mapped[str] = mapped_column(String(QUESTION_MAX_CHARS))
    outcome: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str | None] = mapped_column(String(ENTRY_ID_MAX_CHARS))
    confidence: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Feedback(Base):
    """A user's 👍 (+1) or 👎 (-1) on a knowledge entry; voting again replaces the vote."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("user_key", "entry_id"),
        CheckConstraint("vote IN (-1, 1)", name="vote"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH))
    entry_id: Mapped[str] = mapped_column(String(ENTRY_ID_MAX_CHARS))
    vote: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# The check and event tables live in their own modules; importing them registers them on
# Base.metadata.
from storage.check import models as check_models  # noqa: E402, F401
from storage.editorial import models as editorial_models  # noqa: E402, F401
from storage.events import models as event_models  # noqa: E402, F401
from storage.funding import models as funding_models  # noqa: E402, F401
