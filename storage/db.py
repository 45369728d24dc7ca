"""The database handle: one async engine, sessions with commit/rollback, schema upgrades."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from storage import migrate

logger = logging.getLogger(__name__)

DEFAULT_URL = "sqlite+aiosqlite:///data/digilotse.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_POOL_TIMEOUT_S = 30
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
)


class DatabaseFaultError(Exception):
    """The database cannot serve (locked, corrupt, file gone); the message is one line."""


class Database:
    """Owns the engine for ``url`` (``sqlite+aiosqlite:///…`` or ``postgresql+asyncpg://…``).

    SQLite files get their parent directory created and run in WAL mode with foreign keys on.
    Call ``await upgrade()`` at start-up and ``await dispose()`` at shutdown.
    """

    def __init__(self, url: str | URL = DEFAULT_URL) -> None:
        self.url = make_url(url)
        self._engine = create_async_engine(self.url, **_engine_options(self.url))
        if self.url.get_backend_name() == "sqlite":
            event.listen(self._engine.sync_engine, "connect", _set_sqlite_pragmas)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        self._file_identity: tuple[int, int] | None = None

    @property
    def engine(self) -> AsyncEngine:
        """The SQLAlchemy async engine."""
        return self._engine

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed if the block succeeds, rolled back if not."""
        async with self._sessions() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    async def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with the Alembic migrations (a no-op when current)."""
        async with self._engine.connect() as connection:
            await connection.run_sync(migrate.run_upgrade, revision)
            await connection.commit()
        logger.info("Database schema is at %s", revision)

    async def downgrade(self, revision: str) -> None:
        """Revert the schema to ``revision`` (``"base"`` drops every table): for operators."""
        async with self._engine.connect() as connection:
            await connection.run_sync(migrate.run_downgrade, revision)
            await connection.commit()
        logger.warning("Database schema downgraded to %s", revision)

    async def schema_revision(self) -> str | None:
        """The Alembic revision the database is at, ``None`` if it was never upgraded."""
        async with self._engine.connect() as connection:
            return await connection.run_sync(migrate.current_revision)

    @property
    def single_process(self) -> bool:
        """Whether only this process uses the database (SQLite: ``digilotse run`` guards that);
        on PostgreSQL replicas share it, so nothing read from it may be cached as current."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def file(self) -> Path | None:
        """The SQLite file, or ``None`` (PostgreSQL, in-memory)."""
        return sqlite_file(self.url)

    def remember_file(self) -> None:
        """Note which file is open (after ``upgrade``), so ``check_file`` sees it replaced."""
        self._file_identity = _identity(self.file)

    def check_file(self) -> None:
        """``DatabaseFaultError`` if the SQLite file was deleted or replaced since it was noted.

        SQLite keeps writing to a deleted file it has open, and the next start would silently
        create an empty one: this is the only moment the loss can still be reported.
        """
        if self._file_identity is not None and _identity(self.file) != self._file_identity:
            raise DatabaseFaultError(
                f"the database file {self.file} was deleted or replaced while running; "
                "stop, restore it from a backup and start again"
            )

    async def dispose(self) -> None:
        """Close all pooled connections."""
        await self._engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite URL, or ``None`` (PostgreSQL, in-memory)."""
    found = make_url(url)
    if found.get_backend_name() != "sqlite" or found.database in (None, "", ":memory:"):
        return None
    return Path(found.database)


def _identity(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return (-1, -1)
    return (found.st_dev, found.st_ino)


def describe_fault(error: BaseException) -> str:
    """One line for an operator: what is wrong with the database (no traceback, no secrets)."""
    text = str(getattr(error, "orig", None) or error).lower()
    if "locked" in text:
        return "the database is locked by another process (is another bot running on it?)"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "the database file is corrupt (not a readable SQLite database); restore a backup"
    if isinstance(error, DBAPIError):
        return f"the database cannot be opened ({type(error.orig).__name__})"
    return f"the database cannot be opened ({type(error).__name__})"


async def open_checked(url: str | URL) -> bool:
    """Open and upgrade the database once, as start-up will; ``DatabaseFaultError`` if it fails.

    Returns whether a new, empty SQLite file had to be created (worth a warning after a loss).
    """
    database = Database(url)
    created = database.file is not None and not database.file.exists()
    try:
        await database.upgrade()
        return created
    except Exception as error:
        raise DatabaseFaultError(describe_fault(error)) from None
    finally:
        await database.dispose()


def _engine_options(url: URL) -> dict[str, Any]:
    """Engine options per backend; creates the directory of a SQLite file."""
    if url.get_backend_name() != "sqlite":
        return {"pool_pre_ping": True}
    if url.database in (None, "", ":memory:"):
        return {"poolclass": StaticPool}
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # SQLite has one writer at a time. With several pooled connections, two transactions that
    # read first and write later can deadlock, and SQLite answers "database is locked" at once
    # instead of waiting. One connection serialises the (short) transactions in the pool's
    # queue instead; other processes still wait on ``busy_timeout``.
    return {"pool_size": 1, "max_overflow": 0, "pool_timeout": SQLITE_POOL_TIMEOUT_S}


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite settings (run before SQLAlchemy begins any transaction)."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
