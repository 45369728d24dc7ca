"""Shared fixtures: real databases on both backends.

Every test that uses ``database`` (or ``empty_database_url``) runs twice: on a SQLite file and on
the PostgreSQL server that ``scripts/ensure-postgres`` starts (test id ``postgres``, marked
``postgres``). Without ``DIGILOTSE_TEST_POSTGRES_URL`` the PostgreSQL runs are skipped, or fail
when ``DIGILOTSE_REQUIRE_POSTGRES=1`` (as in ``scripts/test``).

On PostgreSQL a scratch database is a new login role whose ``search_path`` is only its own new
schema: isolated like a database of its own, but created in milliseconds (CREATE DATABASE
checkpoints, ~0.2 s).
"""

from __future__ import annotations

import asyncio
import gc
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage import Database, migrate
from storage.models import Base

POSTGRES_URL_VARIABLE = "DIGILOTSE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VARIABLE = "DIGILOTSE_REQUIRE_POSTGRES"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a new database without tables, per backend, for tests that run migrations.

    SQLite: a file in ``tmp_path``; PostgreSQL: a scratch role and schema, dropped afterwards.
    """
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'digilotse.sqlite3'}"
    else:
        with _postgres_scratch() as url:
            yield url


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a database at the newest schema, migrated once per test run and backend.

    Shared by all tests through ``database``, which empties it first: never migrate it in a test.
    """
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'digilotse.sqlite3'}"
        _in_thread(migrate.upgrade, url)
        yield url
    else:
        with _postgres_scratch() as url:
            _in_thread(migrate.upgrade, url)
            yield url


@pytest.fixture
async def database(migrated_database_url: str) -> AsyncIterator[Database]:
    """A ``Database`` at the newest schema with every table empty, per backend.

    Its engine belongs to this test's event loop and is disposed afterwards.
    """
    db = Database(migrated_database_url)
    try:
        await _delete_all_rows(db)
        yield db
    finally:
        await db.dispose()


def _postgres_url() -> str:
    """The test server's URL, or skip (fail, if PostgreSQL is required) without one."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    reason = f'{POSTGRES_URL_VARIABLE} is not set; run: eval "$(scripts/ensure-postgres)"'
    if os.environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_POSTGRES_VARIABLE}=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def _postgres_scratch() -> Iterator[str]:
    """A scratch role with its own empty schema on the test server; dropped on exit."""
    admin_url = make_url(_postgres_url())
    role = f"digilotse_t_{uuid.uuid4().hex[:12]}"
    _in_thread(
        _admin,
        admin_url,
        f"CREATE ROLE {role} LOGIN",
        f"ALTER ROLE {role} SET search_path TO {role}",
        f"CREATE SCHEMA {role} AUTHORIZATION {role}",
    )
    try:
        yield admin_url.set(username=role, password=None).render_as_string(hide_password=False)
    finally:
        _in_thread(
            _admin,
            admin_url,
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'",
            f"DROP SCHEMA {role} CASCADE",
            f"DROP ROLE {role}",
        )


async def _admin(url: URL, *statements: str) -> None:
    """Run statements as the server's admin user, each in its own transaction."""
    engine = create_async_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


async def _delete_all_rows(database: Database) -> None:
    """Empty every model table, children first (cheaper than migrating a new database)."""
    async with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())


def _in_thread(function: Callable[..., Coroutine[Any, Any, None] | None], *args: Any) -> None:
    """Run a blocking or async function on a worker thread with its own event loop.

    Sync fixtures use this so they never touch the event loop pytest-asyncio gives the test.
    """

    def run() -> None:
        result = function(*args)
        if asyncio.iscoroutine(result):
            asyncio.run(result)

    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(run).result()


@pytest.fixture(autouse=True)
def _collector_unfrozen() -> Iterator[None]:
    """The bot freezes its long-lived heap after loading content (``keep_out_of_collections``);
    in the test process that would keep one test's garbage from the next one's collections."""
    yield
    gc.unfreeze()
