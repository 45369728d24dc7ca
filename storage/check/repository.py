"""Check sessions, answers and results. Every write that moves a session on is guarded by the
position the caller saw, so a repeated or stale button press cannot record a second answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows, upsert
from storage.check.models import CheckAnswer, CheckResult, CheckSession
from storage.check.records import CheckResultRecord, CheckSessionRecord
from storage.models import User
from storage.types import Clock, utcnow

UNFINISHED = ("open", "paused")
_SESSION_COLUMNS = (
    CheckSession.id,
    User.telegram_user_id,
    CheckSession.status,
    CheckSession.version,
    CheckSession.position,
    CheckSession.municipality,
    CheckSession.context,
    CheckSession.created_at,
    CheckSession.updated_at,
)
_RESULT_COLUMNS = (
    CheckResult.session_id,
    CheckResult.municipality,
    CheckResult.municipality_key,
    CheckResult.size_class,
    CheckResult.version,
    CheckResult.overall,
    CheckResult.level,
    CheckResult.dimensions,
    CheckResult.finished_at,
    CheckResult.targets,
)


class CheckAlreadyOpenError(RuntimeError):
    """The user already has an unfinished check (one is allowed)."""


class CheckRepository:
    """Sessions keyed by id, owned by a Telegram user; one transaction per ``session``."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def start(self, telegram_user_id: int, version: str) -> CheckSessionRecord:
        """Open a new session at position 0; ``CheckAlreadyOpenError`` if one is unfinished."""
        user_id = await self._session.scalar(
            select(User.id).where(User.telegram_user_id == telegram_user_id)
        )
        if user_id is None:
            raise LookupError(f"no user row for telegram user {telegram_user_id}")
        now = self._clock()
        row = CheckSession(
            user_id=user_id,
            status="open",
            version=version,
            position=0,
            context={},
            created_at=now,
            updated_at=now,
        )
        try:
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError as exc:
            raise CheckAlreadyOpenError(str(telegram_user_id)) from exc
        return await self._require(row.id)

    async def get(self, session_id: int) -> CheckSessionRecord | None:
        """The session, or ``None`` if unknown."""
        row = (
            await self._session.execute(_sessions().where(CheckSession.id == session_id))
        ).one_or_none()
        return None if row is None else CheckSessionRecord(*row)

    async def unfinished(self, telegram_user_id: int) -> CheckSessionRecord | None:
        """The user's open or paused session, if any."""
        query = _sessions().where(
            User.telegram_user_id == telegram_user_id, CheckSession.status.in_(UNFINISHED)
        )
        row = (await self._session.execute(query)).one_or_none()
        return None if row is None else CheckSessionRecord(*row)

    async def sessions_of(self, telegram_user_id: int) -> list[CheckSessionRecord]:
        """All of the user's sessions, oldest first (for the data export)."""
        query = _sessions().where(User.telegram_user_id == telegram_user_id)
        rows = await self._session.execute(query.order_by(CheckSession.id))
        return [CheckSessionRecord(*row) for row in rows.all()]

    async def move(
        self,
        session_id: int,
        expected: int,
        position: int,
        *,
        status: str = "open",
        context: dict[str, Any] | None = None,
        municipality: str | None = None,
        seen: datetime | None = None,
    ) -> bool:
        """Set the position (and optionally context/name) only if it still is ``expected``.

        With ``seen`` (the ``updated_at`` the caller read) also only if nobody changed the
        session since: a context written from a stale read would undo another replica's write.
        """
        values: dict[str, Any] = {
            "position": position,
            "status": status,
            "updated_at": self._clock(),
        }
        if context is not None:
            values["context"] = context
        if municipality is not None:
            values["municipality"] = municipality
        stmt = update(CheckSession).where(
            CheckSession.id == session_id,
            CheckSession.position == expected,
            CheckSession.status.in_(UNFINISHED),
        )
        if seen is not None:
            stmt = stmt.where(CheckSession.updated_at == seen)
        return await affected_rows(self._session, stmt.values(**values)) == 1

    async def set_status(self, session_id: int, status: str) -> bool:
        """Pause, resume, cancel or finish an unfinished session; ``False`` if it was not."""
        stmt = update(CheckSession).where(
            CheckSession.id == session_id, CheckSession.status.in_(UNFINISHED)
        )
        values = {"status": status, "updated_at": self._clock()}
        return await affected_rows(self._session, stmt.values(**values)) == 1

    async def answer(self, session_id: int, question_id: str, score: int | None) -> None:
        """Store (or replace) the answer to one question."""
        values = {
            "session_id": session_id,
            "question_id": question_id,
            "score": score,
            "answered_at": self._clock(),
        }
        await upsert(
            self._session,
            CheckAnswer,
            values,
            ["session_id", "question_id"],
            ["score", "answered_at"],
        )

    async def answers(self, session_id: int) -> dict[str, int | None]:
        """Question id → score (``None``: "Weiß nicht") of every answer given so far."""
        query = select(CheckAnswer.question_id, CheckAnswer.score).where(
            CheckAnswer.session_id == session_id
        )
        return {question: score for question, score in (await self._session.execute(query)).all()}

    async def save_result(self, result: CheckResultRecord) -> None:
        """Store the result of a finished session."""
        self._session.add(CheckResult(**result.__dict__))
        await self._session.flush()

    async def results(
        self, *, municipality_key: str | None = None, size_class: int | None = None
    ) -> list[CheckResultRecord]:
        """Stored results, oldest first, optionally for one municipality or size class."""
        query = select(*_RESULT_COLUMNS).order_by(CheckResult.finished_at, CheckResult.session_id)
        if municipality_key is not None:
            query = query.where(CheckResult.municipality_key == municipality_key)
        if size_class is not None:
            query = query.where(CheckResult.size_class == size_class)
        return [CheckResultRecord(*row) for row in (await self._session.execute(query)).all()]

    async def _require(self, session_id: int) -> CheckSessionRecord:
        record = await self.get(session_id)
        if record is None:  # pragma: no cover - written in this transaction
            raise RuntimeError("check session vanished")
        return record


def _sessions() -> Select[Any]:
    return select(*_SESSION_COLUMNS).join(User, User.id == CheckSession.user_id)
