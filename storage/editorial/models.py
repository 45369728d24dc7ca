"""Tables of the editorial loop: content version, corrections by users, learned questions.

A correction ties an entry a user picked (after "Meinten Sie …?" or after 👎) to the logged
question that led to it; it goes with that question (ON DELETE CASCADE), so it never outlives
the question log's retention and disappears with the user's data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import ENTRY_ID_MAX_CHARS, QUESTION_MAX_CHARS, Base
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


GAP_DECISIONS = ("accept", "new_entry", "ignore")


class LearnedQuestion(Base):
    """A user's question an editor accepted into an entry (no pseudonym: it is content now).

    It is added to the entry's questions when a content version is built until
    ``kb learned --export`` writes it into the YAML files and sets ``exported_at``.
    """

    __tablename__ = "learned_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(String(QUESTION_MAX_CHARS))
    entry_id: Mapped[str] = mapped_column(String(ENTRY_ID_MAX_CHARS))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class GapDecision(Base):
    """An editor's decision on a normalised question in /luecken; it leaves the work queue.

    Purged with the question log's retention (the questions it decided are gone by then).
    """

    __tablename__ = "gap_decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('accept', 'new_entry', 'ignore')", name="decision"),
        Index(None, "normalized"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    normalized: Mapped[str] = mapped_column(String(QUESTION_MAX_CHARS))
    decision: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
