"""Shared fixtures: real databases on both backends.

Every test that uses ``database`` (or ``empty_database_url``) runs twice: on a SQLite file and on
the PostgreSQL server that ``scripts/ensure-postgres`` starts (test id ``postgres``, marked
``postgres``). Without ``DIGILOTSE_TEST_POSTGRES_URL`` the PostgreSQL runs are skipped, or fail
when ``DIGILOTSE_REQUIRE_POSTGRES=1`` (as in ``scripts/test``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage import Database

POSTGRES_URL_VARIABLE = "DIGILOTSE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VARIABLE = "DIGILOTSE_REQUIRE_POSTGRES"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """URL of a new, empty database per backend; removed after the test.

    SQLite: a file in ``tmp_path``. PostgreSQL: a new login role whose ``search_path`` is only
    its own new schema on the test server, so tests never see each other's tables or rows.
    (Much faster than CREATE DATABASE, which checkpoints.)
    """
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'digilotse.sqlite3'}"
        return
    admin_url = make_url(_postgres_url())
    role = f"digilotse_t_{uuid.uuid4().hex[:12]}"
    await _admin(
        admin_url,
        f"CREATE ROLE {role} LOGIN",
        f"ALTER ROLE {role} SET search_path TO {role}",
        f"CREATE SCHEMA {role} AUTHORIZATION {role}",
    )
    try:
        yield admin_url.set(username=role, password=None).render_as_string(hide_password=False)
    finally:
        await _admin(
            admin_url,
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'",
            f"DROP SCHEMA {role} CASCADE",
            f"DROP ROLE {role}",
        )


@pytest.fixture
async def database(empty_database_url: str) -> AsyncIterator[Database]:
    """A ``Database`` at the newest schema and without rows, per backend; disposed afterwards."""
    db = Database(empty_database_url)
    await db.upgrade()
    try:
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


async def _admin(url: URL, *statements: str) -> None:
    """Run statements as the server's admin user, each in its own transaction."""
    engine = create_async_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()
