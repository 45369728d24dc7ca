"""The engine's ports implemented on the database (one short transaction per call)."""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import cast

from bot.features.admin.chart import WEEKS
from bot.features.admin.feature import EntryRating, Gap, Stats
from bot.stores.question_buffer import FLUSH_DELAY_S, QuestionBuffer
from storage.db import Database
from storage.editorial.learned import GapQueueRepository
from storage.editorial.repository import PICK_WINDOW, PickRepository
from storage.privacy import delete_user_data, export_user_data, pseudonym
from storage.questions.feedback import FeedbackRepository
from storage.questions.log import QuestionLogRepository
from storage.questions.records import LoggedOutcome, NewQuestion, Vote
from storage.state import StateRepository, UnknownUserError
from storage.users import UserRepository

logger = logging.getLogger(__name__)

_NON_WORD = re.compile(r"[^\w]+")
# A user's row is rewritten at most this often (``last_seen_at`` is that precise); every
# message would otherwise cost a database write.
TOUCH_INTERVAL_S = 600.0
# A follow-up ("Und wer hat entschieden?") refers to the entry shown within this window.
FOLLOW_UP_WINDOW = timedelta(minutes=30)
SHOWN, SHOWN_AT = "shown", "shown_at"


def normalize_question(question: str) -> str:
    """Group spellings of the same question: lower case, no accents or punctuation."""
    folded = unicodedata.normalize("NFKD", question.casefold())
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()


class StoragePorts:
    """Question log, feedback, user data and statistics backed by ``storage``."""

    def __init__(
        self,
        database: Database,
        secret: str,
        retention_days: int,
        *,
        question_delay: float = FLUSH_DELAY_S,
    ) -> None:
        self._db = database
        self._secret = secret
        self._retention = timedelta(days=retention_days)
        self._touched: dict[int, tuple[int, float]] = {}  # user id -> (chat id, monotonic time)
        self._questions = QuestionBuffer(database, question_delay)
        self._voted_down: dict[int, float] = {}  # user id -> monotonic time of their last 👎

    async def touch_user(self, user_id: int, chat_id: int, *, force: bool = False) -> None:
        """Remember that the user is reachable in ``chat_id`` (written at most every 10 min).

        ``force`` writes at once: the user just unblocked the bot, which a broadcast may have
        recorded as blocked behind this cache's back.
        """
        known = self._touched.get(user_id)
        fresh = known is not None and time.monotonic() - known[1] < TOUCH_INTERVAL_S
        if fresh and not force and known is not None and known[0] == chat_id:
            return
        async with self._db.session() as session:
            await UserRepository(session).touch(user_id, chat_id)
        self._touched[user_id] = (chat_id, time.monotonic())

    async def mark_inactive(self, user_id: int) -> None:
        """The user blocked the bot."""
        self._touched.pop(user_id, None)
        async with self._db.session() as session:
            await UserRepository(session).mark_inactive(user_id)

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
        self._questions.add(
            NewQuestion(
                pseudonym(user_id, self._secret),
                question,
                normalize_question(question),
                cast(LoggedOutcome, outcome),
                entry_id,
                confidence,
                datetime.now(UTC),
            )
        )

    async def flush(self) -> None:
        """Write the question-log rows still queued."""
        await self._questions.flush()

    async def questions_flushed(self, count: int) -> None:
        """Wait until ``count`` background writes of the question log have run (a test hook)."""
        await self._questions.background_flushes(count)

    async def close(self) -> None:
        """Write what is queued (at shutdown); a failure is logged, not raised."""
        try:
            await self._questions.close()
        except Exception:
            logger.exception("question log: %d rows lost at shutdown", self._questions.pending)

    async def last_shown(self, user_id: int) -> str | None:
        """The entry the user was shown within :data:`FOLLOW_UP_WINDOW`, if any."""
        async with self._db.session() as session:
            state = await StateRepository(session).load(user_id) or {}
        entry_id, at = state.get(SHOWN), state.get(SHOWN_AT)
        if not isinstance(entry_id, str) or not isinstance(at, str):
            return None
        fresh = datetime.now(UTC) - datetime.fromisoformat(at) <= FOLLOW_UP_WINDOW
        return entry_id if fresh else None

    async def remember_shown(self, user_id: int, entry_id: str) -> None:
        """Keep the entry id (not the question) for follow-ups; other state stays as it is."""
        async with self._db.session() as session:
            states = StateRepository(session)
            state = await states.load(user_id) or {}
            state.update({SHOWN: entry_id, SHOWN_AT: datetime.now(UTC).isoformat()})
            try:
                await states.save(user_id, state)
            except UnknownUserError:  # never touched (no private chat yet): nothing to keep
                return

    async def vote(self, user_id: int, entry_id: str, vote: int) -> None:
        """Store the user's 👍 (1) or 👎 (-1) on an entry."""
        async with self._db.session() as session:
            await FeedbackRepository(session).vote(
                pseudonym(user_id, self._secret), entry_id, cast(Vote, vote)
            )
        if vote < 0:
            self._voted_down[user_id] = time.monotonic()

    async def record_pick(self, user_id: int, entry_id: str, *, offered: bool) -> None:
        """Tie a picked entry to the user's last question when it corrects it (pseudonymous)."""
        await self.flush()  # the question it corrects may still be queued
        async with self._db.session() as session:
            await PickRepository(session).record_pick(
                pseudonym(user_id, self._secret), entry_id, offered=offered
            )

    async def export(self, user_id: int) -> dict[str, object]:
        """Everything stored about the user."""
        await self.flush()
        async with self._db.session() as session:
            return await export_user_data(session, user_id, self._secret)

    async def delete(self, user_id: int) -> dict[str, int]:
        """Erase the user's data, queued questions included (no flush needed); rows by kind."""
        async with self._questions.writing:  # a write under way lands before the erasure
            queued = self._questions.discard(pseudonym(user_id, self._secret))
        self._touched.pop(user_id, None)
        self._voted_down.pop(user_id, None)
        async with self._db.session() as session:
            counts = await delete_user_data(session, user_id, self._secret)
        return {**counts, "question_log": counts["question_log"] + queued}

    async def purge_expired(self) -> int:
        """Delete question-log rows (and decisions on them) older than the retention period."""
        await self.flush()
        async with self._db.session() as session:
            cutoff = datetime.now(UTC) - self._retention
            await GapQueueRepository(session).purge_older_than(cutoff)
            return await QuestionLogRepository(session).purge_older_than(cutoff)

    async def stats(self) -> Stats:
        """Usage figures within the retention window."""
        await self.flush()
        async with self._db.session() as session:
            users = UserRepository(session)
            log, votes = QuestionLogRepository(session), FeedbackRepository(session)
            outcomes = await log.outcome_counts()
            feedback = await votes.summary()
            worst = await votes.worst_rated()
            asked = await log.asked_since(datetime.now(UTC) - timedelta(weeks=WEEKS + 1))
            return Stats(
                users=await users.count(),
                active_users=await users.count(active_only=True),
                outcomes=outcomes,
                feedback_up=feedback.up,
                feedback_down=feedback.down,
                window_days=self._retention.days,
                worst=tuple(EntryRating(r.entry_id, r.up, r.down) for r in worst),
                asked=tuple(asked),
            )

    async def gaps(self, limit: int) -> list[Gap]:
        """Most frequent unanswered questions."""
        await self.flush()
        async with self._db.session() as session:
            found = await QuestionLogRepository(session).top_gaps(limit)
        return [Gap(question=gap.example_question, count=gap.count) for gap in found]
