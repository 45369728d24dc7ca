"""Leadership among replicas: which process does the once-only work (broadcasts, purge, …).

On PostgreSQL the leader is the process holding a session-level advisory lock on one dedicated
connection. The key is derived from the schema, so databases that share a server (per-test
schemas) never compete; it is a 32-bit hash, so it never meets the 64-bit key that serialises
migrations (``storage.migrate``). The lock lives exactly as long as that connection: when the
process or its connection dies, the server releases it and the next candidate's attempt
succeeds. A SQLite database serves one process (``digilotse run`` refuses a second), which
always leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

logger = logging.getLogger(__name__)

LOCK_NAME = "digilotse:leader:"
_KEY = "hashtext(:name || current_schema())"
_TRY_LOCK = text(f"SELECT pg_try_advisory_lock({_KEY})")
_UNLOCK = text(f"SELECT pg_advisory_unlock({_KEY})")
_LOST = (SQLAlchemyError, OSError, TimeoutError)  # any of them: the connection is gone
TIMEOUT_S = 5.0
"""A lock statement slower than this counts as a dead connection (a silent network drop)."""


class Leadership:
    """One candidate for leadership; call :meth:`try_acquire` until it returns ``True``."""

    def __init__(self, database: Database, name: str = LOCK_NAME) -> None:
        self._db = database
        self._name = name
        self._always = database.url.get_backend_name() != "postgresql"
        self._connection: AsyncConnection | None = None
        self._held = False

    @property
    def held(self) -> bool:
        """Whether this candidate leads (as of its last attempt or check)."""
        return self._held

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; ``True`` if this candidate leads now."""
        if self._always or self._held:
            self._held = True
            return True
        try:
            async with asyncio.timeout(TIMEOUT_S):
                connection = await self._open()
                self._held = bool(await connection.scalar(_TRY_LOCK, {"name": self._name}))
        except _LOST as error:
            logger.warning("leadership: database unreachable (%s)", type(error).__name__)
            await self._drop()
        return self._held

    async def check(self) -> bool:
        """Whether the lock is still held: ``False`` once its connection has died."""
        connection = self._connection
        if self._always or not self._held or connection is None:
            return self._held
        try:
            async with asyncio.timeout(TIMEOUT_S):
                await connection.scalar(text("SELECT 1"))
        except _LOST:
            logger.warning("leadership lost: the lock's connection died")
            await self._drop()
        return self._held

    async def release(self) -> None:
        """Give up leadership (if held) and close the dedicated connection."""
        if self._connection is not None and self._held:
            with contextlib.suppress(*_LOST):
                async with asyncio.timeout(TIMEOUT_S):
                    await self._connection.scalar(_UNLOCK, {"name": self._name})
        self._held = False
        if self._connection is not None:
            with contextlib.suppress(*_LOST):
                async with asyncio.timeout(TIMEOUT_S):
                    await self._connection.close()
            self._connection = None

    async def _open(self) -> AsyncConnection:
        if self._connection is None:
            connection = await self._db.engine.connect()
            # No transaction stays open between statements: the lock is session-level.
            self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        return self._connection

    async def _drop(self) -> None:
        """Forget a connection that failed (it is invalidated, never returned to the pool)."""
        self._held = False
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()
