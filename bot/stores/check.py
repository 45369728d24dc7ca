"""The check's persistence port on the database: one short transaction per call."""

from __future__ import annotations

from datetime import datetime
from typing import Unpack

from bot.features.check.ports import CheckAlreadyOpenError, CheckSession, SessionChanges
from bot.features.check.result import CheckOutcome, municipality_key
from storage.check.records import CheckResultRecord, CheckSessionRecord
from storage.check.reminders import CheckReminderRepository
from storage.check.repository import CheckAlreadyOpenError as StoredOpenError
from storage.check.repository import CheckRepository
from storage.db import Database
from storage.users import UserRepository


class DatabaseCheckStore:
    """Sessions, answers and results of the Digitalisierungs-Check.

    Every free-text message asks whether its sender is in a check. On a single-process database
    (SQLite) users known to have no unfinished session are remembered, so that question costs
    no query for them; only :meth:`start` creates unfinished sessions, and it forgets the user.
    Replicas sharing PostgreSQL always ask the database: a check started on one must be seen by
    the next message, whichever replica receives it.
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self._none_unfinished: set[int] = set()
        self._cache = database.single_process

    async def start(self, user_id: int, chat_id: int, version: str) -> CheckSessionRecord:
        """A new session (the user row is created if needed); ``CheckAlreadyOpenError`` if one
        is unfinished."""
        self._none_unfinished.discard(user_id)
        async with self._db.session() as session:
            if await UserRepository(session).get(user_id) is None:
                await UserRepository(session).touch(user_id, chat_id)
            try:
                return await CheckRepository(session).start(user_id, version)
            except StoredOpenError as error:
                raise CheckAlreadyOpenError from error

    async def get(self, session_id: int) -> CheckSessionRecord | None:
        """The session by id."""
        async with self._db.session() as session:
            return await CheckRepository(session).get(session_id)

    async def unfinished(self, user_id: int) -> CheckSessionRecord | None:
        """The user's open or paused session."""
        if user_id in self._none_unfinished:
            return None
        async with self._db.session() as session:
            found = await CheckRepository(session).unfinished(user_id)
        if found is None and self._cache:
            self._none_unfinished.add(user_id)
        return found

    async def answers(self, session_id: int) -> dict[str, int | None]:
        """All answers of a session."""
        async with self._db.session() as session:
            return await CheckRepository(session).answers(session_id)

    async def answer(
        self, session_id: int, expected: int, position: int, question_id: str, score: int | None
    ) -> bool:
        """Record an answer and move on, atomically; ``False`` if the position had changed."""
        async with self._db.session() as session:
            repository = CheckRepository(session)
            if not await repository.move(session_id, expected, position):
                return False
            await repository.answer(session_id, question_id, score)
            return True

    async def move(
        self, session_id: int, expected: int, position: int, **changes: Unpack[SessionChanges]
    ) -> bool:
        """Move to ``position`` (saving context/name) if the session is still at ``expected``
        (and, with ``seen``, still as last read: see ``CheckRepository.move``)."""
        async with self._db.session() as session:
            return await CheckRepository(session).move(session_id, expected, position, **changes)

    async def set_status(self, session_id: int, status: str) -> bool:
        """Pause, resume or cancel an unfinished session."""
        async with self._db.session() as session:
            return await CheckRepository(session).set_status(session_id, status)

    async def finish(
        self, check: CheckSession, expected: int, outcome: CheckOutcome, recheck_at: datetime
    ) -> bool:
        """Close the session, store its result and (re-)plan the re-check question for
        ``recheck_at``, in one transaction.

        The question goes to the user's private chat: ``users.chat_id`` is only ever written
        from there (group messages never touch it, and the check runs in private chats only).
        Telegram gives private chats positive ids (groups negative); the terminal chat's user
        is 0 and is never asked.
        """
        async with self._db.session() as session:
            repository = CheckRepository(session)
            moved = await repository.move(
                check.id, expected, expected, status="finished", context=dict(outcome.context)
            )
            user = await UserRepository(session).get(check.telegram_user_id)
            if moved:
                await repository.save_result(to_record(check.id, outcome))
            if moved and user is not None and user.chat_id > 0:
                reminders = CheckReminderRepository(session)
                await reminders.schedule(user.telegram_user_id, user.chat_id, check.id, recheck_at)
            return moved

    async def decline_recheck(self, user_id: int, session_id: int) -> bool:
        """The user said "Nein danke" to the re-check after ``session_id``: forget it."""
        async with self._db.session() as session:
            return await CheckReminderRepository(session).cancel(user_id, session_id)

    async def results(
        self, *, municipality_key: str | None = None, size_class: int | None = None
    ) -> list[CheckResultRecord]:
        """Stored results, oldest first."""
        async with self._db.session() as session:
            return await CheckRepository(session).results(
                municipality_key=municipality_key, size_class=size_class
            )


def to_record(session_id: int, outcome: CheckOutcome) -> CheckResultRecord:
    """The row to store for a finished check."""
    score = outcome.score
    size = outcome.context.get("size")
    return CheckResultRecord(
        session_id=session_id,
        municipality=outcome.municipality,
        municipality_key=municipality_key(outcome.municipality),
        size_class=size if isinstance(size, int) else None,
        version=outcome.questionnaire.version,
        overall=None if score.overall is None else float(score.overall),
        level=score.level,
        dimensions={d.id: None if d.score is None else float(d.score) for d in score.dimensions},
        finished_at=outcome.finished_at,
        targets={d.id: d.target for d in score.dimensions},
    )
