"""Question-log rows written in batches, off the reply path.

Logging a question in its own transaction cost more CPU than answering it (a session, an
INSERT and a COMMIT per message, each a hop to the database driver). Rows are collected here
and written together a quarter of a second later (or at once when ``FLUSH_ROWS`` are waiting).
Readers of the log (statistics, gaps, export, deletion) flush first, so they see every
question; shutting down flushes too. A crash (kill -9) loses at most the last
``FLUSH_DELAY_S`` of pseudonymous statistics rows, never a user's dialogue state.

A row the database refuses (e.g. text with a lone surrogate) is dropped and logged without its
text; it never holds back the rows around it. Rows are kept for a retry only when the database
itself is unavailable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from storage.db import Database
from storage.questions.log import QuestionLogRepository
from storage.questions.records import NewQuestion

logger = logging.getLogger(__name__)

FLUSH_DELAY_S = 0.25
FLUSH_ROWS = 200
RETRY_DELAY_S = 5.0
MAX_PENDING = 10_000
"""Rows kept while the database is unreachable; the oldest beyond this are dropped."""
_UNAVAILABLE = (OperationalError, InterfaceError, ConnectionError, TimeoutError, OSError)


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached now (rather than: bad row)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _UNAVAILABLE) or not isinstance(error, Exception)


class QuestionBuffer:
    """Collects question-log rows and writes them in one statement per batch."""

    def __init__(self, database: Database, delay: float = FLUSH_DELAY_S) -> None:
        self._db = database
        self._delay = delay
        self._pending: list[NewQuestion] = []
        self._writing = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._background_flushes = 0
        self._flushed = asyncio.Condition()

    @property
    def pending(self) -> int:
        """Rows not yet written."""
        return len(self._pending)

    def add(self, row: NewQuestion) -> None:
        """Queue a row; it is written within ``delay`` seconds (must run in the event loop)."""
        self._pending.append(row)
        if len(self._pending) >= FLUSH_ROWS:
            self._schedule(0)
        elif self._timer is None:
            self._schedule(self._delay)

    async def flush(self) -> None:
        """Write every queued row now; on failure the rows stay queued and the error is raised."""
        async with self._writing:
            self._cancel_timer()
            rows, self._pending = self._pending, []
            if not rows:
                return
            try:
                await self._write(rows)
            except BaseException as error:
                if is_unavailable(error):
                    self._keep(rows)
                    raise
                await self._write_each(rows)

    def discard(self, user_key: str) -> int:
        """Forget the queued rows of one pseudonym (erasure); the number forgotten."""
        kept = [row for row in self._pending if row.user_key != user_key]
        dropped = len(self._pending) - len(kept)
        self._pending = kept
        return dropped

    async def background_flushes(self, count: int) -> None:
        """Wait until ``count`` background flushes (timer or full batch) ran, written or not."""
        async with self._flushed:
            await self._flushed.wait_for(lambda: self._background_flushes >= count)

    @property
    def writing(self) -> asyncio.Lock:
        """Held while rows are written; erasure waits for it so no write lands after it."""
        return self._writing

    async def _write(self, rows: Sequence[NewQuestion]) -> None:
        async with self._db.session() as session:
            await QuestionLogRepository(session).record_many(rows)

    async def _write_each(self, rows: list[NewQuestion]) -> None:
        """One row per transaction: the refused ones are dropped, the others written."""
        for index, row in enumerate(rows):
            try:
                await self._write([row])
            except BaseException as error:
                if is_unavailable(error):
                    self._keep(rows[index:])
                    raise
                logger.error("question log: dropped a row the database refused (%s)", _kind(error))

    async def close(self) -> None:
        """Write what is queued and stop (at shutdown)."""
        for task in list(self._tasks):
            await task
        await self.flush()

    def _schedule(self, delay: float) -> None:
        self._cancel_timer()
        self._timer = asyncio.get_running_loop().call_later(delay, self._start_flush)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _start_flush(self) -> None:
        self._timer = None
        task = asyncio.get_running_loop().create_task(self._flush_in_background())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_in_background(self) -> None:
        try:
            await self.flush()
        except Exception:
            logger.warning(
                "question log: %d rows not written, retrying in %.0f s",
                len(self._pending),
                RETRY_DELAY_S,
                exc_info=True,
            )
            if self._timer is None:
                self._schedule(RETRY_DELAY_S)
        finally:
            async with self._flushed:
                self._background_flushes += 1
                self._flushed.notify_all()

    def _keep(self, rows: list[NewQuestion]) -> None:
        merged = rows + self._pending
        dropped = len(merged) - MAX_PENDING
        if dropped > 0:
            logger.error("question log: dropped the %d oldest unwritten rows", dropped)
            merged = merged[dropped:]
        self._pending = merged


def _kind(error: BaseException) -> str:
    """The error's type, never its message (which may quote the question)."""
    cause = error.__cause__ or getattr(error, "orig", None)
    return type(error).__name__ + (f" from {type(cause).__name__}" if cause else "")
