"""The editorial loop's storage: the content version to serve, and users' corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.editorial.models import ContentVersion, QuestionPick
from storage.models import Feedback, QuestionLogEntry
from storage.types import Clock, utcnow

_Q, _P = QuestionLogEntry, QuestionPick
PICK_WINDOW = timedelta(minutes=30)
"""A pick counts as a correction only this soon after the question it corrects."""


@dataclass(frozen=True)
class CorrectionRecord:
    """Questions users corrected to the same entry, grouped by the question's normalised form."""

    question: str
    entry_id: str
    count: int
    last_picked: datetime


class ContentVersionRepository:
    """The one row every replica polls; raising it asks them all to reload."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def current(self) -> int:
        """The version replicas should serve (0 before the first reload)."""
        found = await self._session.scalar(select(ContentVersion.version).where(_ROW))
        return int(found or 0)

    async def bump(self) -> int:
        """Raise the version by one; returns the new version (the row is made if it is missing)."""
        now = self._clock()
        raised = {"version": ContentVersion.version + 1, "updated_at": now}
        done = await self._session.execute(update(ContentVersion).where(_ROW).values(raised))
        if not getattr(done, "rowcount", 0):  # the migration inserts it; a wiped table does not
            self._session.add(ContentVersion(id=1, version=1, updated_at=now))
            await self._session.flush()
        return await self.current()


_ROW = ContentVersion.id == 1


class PickRepository:
    """Entries users picked after a suggestion or a 👎, tied to the question they corrected."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def record_pick(
        self, user_key: str, entry_id: str, *, offered: bool = False
    ) -> str | None:
        """Tie the pick to the user's last question if it corrects it; the kind, or ``None``.

        A pick corrects a question that got suggestions or no answer (``suggest``), an answer
        under which the user pressed an "Oder …" button (``offered``: also ``suggest``), or an
        answer the user then voted 👎 on (``down``). Only the first pick per question counts.
        """
        now = self._clock()
        last = await self._last_question(user_key, now - PICK_WINDOW)
        if last is None or await self._picked(last.id):
            return None
        kind = await self._kind(user_key, last, entry_id, offered)
        if kind is not None:
            pick = QuestionPick(question_id=last.id, entry_id=entry_id, kind=kind, created_at=now)
            self._session.add(pick)
            await self._session.flush()
        return kind

    async def corrections(self, limit: int = 10) -> list[CorrectionRecord]:
        """The most frequent corrections (question → entry), most frequent first."""
        count, last = func.count().label("n"), func.max(_P.created_at).label("last")
        query = (
            select(func.max(_Q.question), _P.entry_id, count, last)
            .join(_Q, _Q.id == _P.question_id)
            .group_by(_Q.normalized, _P.entry_id)
            .order_by(count.desc(), last.desc(), _P.entry_id)
            .limit(limit)
        )
        rows = await self._session.execute(query)
        return [CorrectionRecord(q, entry, int(n), at) for q, entry, n, at in rows]

    async def for_user(self, user_key: str) -> list[dict[str, Any]]:
        """The user's picks with the question each one corrected, oldest first."""
        query = (
            select(_Q.question, _P.entry_id, _P.kind, _P.created_at)
            .join(_Q, _Q.id == _P.question_id)
            .where(_Q.user_key == user_key)
            .order_by(_P.created_at, _P.id)
        )
        rows = await self._session.execute(query)
        return [
            {"question": q, "entry_id": e, "kind": k, "created_at": at.isoformat()}
            for q, e, k, at in rows
        ]

    async def _last_question(self, user_key: str, since: datetime) -> QuestionLogEntry | None:
        query = (
            select(_Q)
            .where(_Q.user_key == user_key, _Q.created_at >= since)
            .order_by(_Q.created_at.desc(), _Q.id.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def _picked(self, question_id: int) -> bool:
        return bool(
            await self._session.scalar(select(exists().where(_P.question_id == question_id)))
        )

    async def count_for_user(self, user_key: str) -> int:
        """How many picks the user's questions carry (they go with the questions)."""
        query = select(func.count()).select_from(_P).join(_Q, _Q.id == _P.question_id)
        return int(await self._session.scalar(query.where(_Q.user_key == user_key)) or 0)

    async def _kind(
        self, user_key: str, last: QuestionLogEntry, entry_id: str, offered: bool
    ) -> str | None:
        if last.outcome in ("suggest", "abstain"):
            return "suggest"
        if last.outcome != "answer" or last.entry_id in (None, entry_id):
            return None
        if offered:
            return "suggest"
        voted_down = select(Feedback.id).where(
            Feedback.user_key == user_key,
            Feedback.entry_id == last.entry_id,
            Feedback.vote == -1,
            Feedback.updated_at >= last.created_at,
        )
        return "down" if await self._session.scalar(voted_down) is not None else None
