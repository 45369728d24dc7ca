"""The question log, votes and picks: what users asked, how it was answered, what they chose.

All pseudonymous. The three belong together because one corrects another: a question asked
again soon after a 👎 and answered by another entry records that entry as the user's pick.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from datetime import UTC, datetime
from typing import cast

from bot.stores.question_buffer import FLUSH_DELAY_S, QuestionBuffer
from storage.db import Database
from storage.editorial.repository import PICK_WINDOW, PickRepository
from storage.privacy import pseudonym
from storage.questions.feedback import FeedbackRepository
from storage.questions.records import LoggedOutcome, NewQuestion, Vote

logger = logging.getLogger(__name__)

_NON_WORD = re.compile(r"[^\w]+")


def normalize_question(question: str) -> str:
    """Group spellings of the same question: lower case, no accents or punctuation."""
    folded = unicodedata.normalize("NFKD", question.casefold())
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()


class QuestionStore:
    """``QuestionLog``, ``FeedbackLog`` and ``PickLog`` on the database (log rows in batches)."""

    def __init__(self, database: Database, secret: str, *, delay: float = FLUSH_DELAY_S) -> None:
        self._db = database
        self._secret = secret
        self._buffer = QuestionBuffer(database, delay)
        self._voted_down: dict[int, float] = {}  # user id -> monotonic time of their last 👎

    async def record(
        self, user_id: int, question: str, outcome: str, entry_id: str | None, confidence: float
    ) -> None:
        """Log a question under the user's pseudonym (written in a batch: ``QuestionBuffer``).

        Asked again soon after a 👎 and answered by another entry, it corrects the question
        voted down: that answer's entry is recorded as the user's pick for it.
        """
        down_at = self._voted_down.pop(user_id, None)
        recent = down_at is not None and time.monotonic() - down_at < PICK_WINDOW.total_seconds()
        if recent and outcome == "answer" and entry_id is not None:
            await self.record_pick(user_id, entry_id, offered=False)
        self._buffer.add(
            NewQuestion(
                self.pseudonym(user_id),
                question,
                normalize_question(question),
                cast(LoggedOutcome, outcome),
                entry_id,
                confidence,
                datetime.now(UTC),
            )
        )

    async def vote(self, user_id: int, entry_id: str, vote: int) -> None:
        """Store the user's 👍 (1) or 👎 (-1) on an entry."""
        async with self._db.session() as session:
            await FeedbackRepository(session).vote(
                self.pseudonym(user_id), entry_id, cast(Vote, vote)
            )
        if vote < 0:
            self._voted_down[user_id] = time.monotonic()

    async def record_pick(self, user_id: int, entry_id: str, *, offered: bool) -> None:
        """Tie a picked entry to the user's last question when it corrects it (pseudonymous)."""
        await self.flush()  # the question it corrects may still be queued
        async with self._db.session() as session:
            await PickRepository(session).record_pick(
                self.pseudonym(user_id), entry_id, offered=offered
            )

    def pseudonym(self, user_id: int) -> str:
        """The key the user's rows are stored under."""
        return pseudonym(user_id, self._secret)

    async def flush(self) -> None:
        """Write the question-log rows still queued (readers of the log call this first)."""
        await self._buffer.flush()

    async def questions_flushed(self, count: int) -> None:
        """Wait until ``count`` background writes of the question log have run (a test hook)."""
        await self._buffer.background_flushes(count)

    async def forget(self, user_id: int) -> int:
        """Drop the user's queued rows and recent 👎 (their data is being erased); rows dropped.

        A write under way lands first, so the erasure that follows sees it.
        """
        self._voted_down.pop(user_id, None)
        async with self._buffer.writing:
            return self._buffer.discard(self.pseudonym(user_id))

    async def close(self) -> None:
        """Write what is queued (at shutdown); a failure is logged, not raised."""
        try:
            await self._buffer.close()
        except Exception:
            logger.exception("question log: %d rows lost at shutdown", self._buffer.pending)
