"""Database: sessions commit or roll back, SQLite settings, UTC timestamps, concurrent writers."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.exc import StatementError

from storage import Database, UserRepository

from .clock import START, ManualClock


class DeliberateError(Exception):
    """Raised inside a session block on purpose."""


async def test_session_commits_when_block_succeeds(database: Database) -> None:
    async with database.session() as session:
        await UserRepository(session).touch(42, 42)
    async with database.session() as session:
        assert await UserRepository(session).get(42) is not None


async def test_session_rolls_back_when_block_raises(database: Database) -> None:
    async def touch_then_fail() -> None:
        async with database.session() as session:
            await UserRepository(session).touch(42, 42)
            raise DeliberateError

    with pytest.raises(DeliberateError):
        await touch_then_fail()
    async with database.session() as session:
        assert await UserRepository(session).get(42) is None


async def test_timestamps_come_back_as_utc_whatever_zone_went_in(database: Database) -> None:
    berlin_summer = timezone(timedelta(hours=2))
    local = datetime(2025, 7, 1, 12, 0, tzinfo=berlin_summer)
    async with database.session() as session:
        user = await UserRepository(session, ManualClock(local)).touch(42, 42)
    async with database.session() as session:
        stored = await UserRepository(session).get(42)
    assert stored is not None
    assert stored.last_seen_at == user.last_seen_at == local
    assert stored.last_seen_at.utcoffset() == timedelta(0)
    assert stored.last_seen_at.hour == 10


async def test_naive_datetimes_are_refused(database: Database) -> None:
    async with database.session() as session:
        users = UserRepository(session, ManualClock(START.replace(tzinfo=None)))
        with pytest.raises(StatementError, match="naive datetime"):
            await users.touch(42, 42)


async def test_concurrent_first_contacts_of_one_user_both_succeed(database: Database) -> None:
    async def touch(chat_id: int) -> None:
        async with database.session() as session:
            await UserRepository(session).touch(42, chat_id)

    await asyncio.gather(touch(1), touch(2))
    async with database.session() as session:
        assert await UserRepository(session).count() == 1


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'bot.sqlite3'}")
    try:
        await database.upgrade()  # the upgrade switches foreign keys off and on again
        async with database.engine.connect() as connection:
            pragmas = [
                (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]
    finally:
        await database.dispose()
    assert pragmas == ["wal", 1, 5000]
    assert (tmp_path / "nested" / "dir" / "bot.sqlite3").exists()


async def test_in_memory_sqlite_keeps_rows_between_sessions() -> None:
    database = Database("sqlite+aiosqlite://")
    try:
        await database.upgrade()
        async with database.session() as session:
            await UserRepository(session).touch(42, 42)
        async with database.session() as session:
            assert await UserRepository(session).count() == 1
    finally:
        await database.dispose()
