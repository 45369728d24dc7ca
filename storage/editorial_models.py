"""Tables of the editorial loop: the content version replicas follow, and corrections by users.

A correction ties an entry a user picked (after "Meinten Sie …?" or after 👎) to the logged
question that led to it; it goes with that question (ON DELETE CASCADE), so it never outlives
the question log's retention and disappears with the user's data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import ENTRY_ID_MAX_CHARS, Base
from storage.types import UTCDateTime

PICK_KINDS = ("suggest", "down")


class ContentVersion(Base):
    """One row: the content version every replica should serve (raised by ``kb reload``)."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionPick(Base):
    """The entry a user picked instead of (or after) what the bot offered for a question."""

    __tablename__ = "question_picks"
    __table_args__ = (
        CheckConstraint("kind IN ('suggest', 'down')", name="kind"),
        Index(None, "question_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question_log.id", ondelete="CASCADE"))
    entry_id: Mapped[str] = mapped_column(String(ENTRY_ID_MAX_CHARS))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
