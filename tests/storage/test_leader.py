"""Leadership through a PostgreSQL advisory lock (and always-leading SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from storage import Database
from storage.leader import Leadership

ON_POSTGRES = pytest.mark.parametrize("empty_database_url", ["postgres"], indirect=True)
# Advisory locks of this test's role only (other test runs share the server).
OURS = (
    "locktype = 'advisory' AND pid IN "
    "(SELECT pid FROM pg_stat_activity WHERE usename = current_user)"
)
ON_SQLITE = pytest.mark.parametrize("empty_database_url", ["sqlite"], indirect=True)


@pytest.fixture
async def replicas(empty_database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two processes' database handles on one database (two engines, two pools)."""
    first, second = Database(empty_database_url), Database(empty_database_url)
    yield first, second
    await first.dispose()
    await second.dispose()


async def _kill_lock_holder(database: Database) -> int:
    """End the server session holding an advisory lock, as a crash would (waits); how many."""
    query = text(
        f"SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_locks WHERE {OURS}"
        " AND pid <> pg_backend_pid()"
    )
    async with database.engine.connect() as connection:
        return int(await connection.scalar(query) or 0)


@ON_POSTGRES
async def test_of_two_candidates_on_one_schema_exactly_one_leads(
    replicas: tuple[Database, Database],
) -> None:
    """The second candidate's attempts fail for as long as the first holds the lock."""
    first, second = Leadership(replicas[0]), Leadership(replicas[1])
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert not await second.try_acquire()
        assert await first.check()
        assert (first.held, second.held) == (True, False)
    finally:
        await first.release()
        await second.release()


@ON_POSTGRES
async def test_after_the_leader_releases_the_other_leads(
    replicas: tuple[Database, Database],
) -> None:
    """A graceful stop hands leadership to the next attempt."""
    first, second = Leadership(replicas[0]), Leadership(replicas[1])
    try:
        assert await first.try_acquire()
        await first.release()
        assert await second.try_acquire()
        assert not await first.try_acquire()
    finally:
        await first.release()
        await second.release()


@ON_POSTGRES
async def test_when_the_leaders_connection_dies_it_notices_and_the_other_leads(
    replicas: tuple[Database, Database],
) -> None:
    """The server frees the lock with the session; the old leader's check says it lost."""
    first, second = Leadership(replicas[0]), Leadership(replicas[1])
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await _kill_lock_holder(replicas[1]) == 1
        assert await second.try_acquire()
        assert not await first.check()
        assert not first.held
        assert not await first.try_acquire()
    finally:
        await first.release()
        await second.release()


@ON_POSTGRES
async def test_the_lock_does_not_keep_a_transaction_open(
    replicas: tuple[Database, Database],
) -> None:
    """The dedicated connection idles outside a transaction (no ``idle in transaction``)."""
    leader = Leadership(replicas[0])
    query = text(
        f"SELECT state FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE {OURS})"
    )
    try:
        assert await leader.try_acquire()
        async with replicas[1].engine.connect() as connection:
            assert list(await connection.scalars(query)) == ["idle"]
    finally:
        await leader.release()


@ON_SQLITE
async def test_on_sqlite_the_one_process_always_leads(
    replicas: tuple[Database, Database],
) -> None:
    """SQLite serves one process, so there is nobody to compete with."""
    first, second = Leadership(replicas[0]), Leadership(replicas[1])
    assert await first.try_acquire()
    assert await second.try_acquire()
    assert await first.check()
    await first.release()
    await second.release()
