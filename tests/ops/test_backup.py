"""Backups: ops/backup.sh dumps a real database, ops/restore.sh restores it, the bot accepts it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

from storage import Database
from storage.users import UserRepository

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def _server() -> URL:
    """The test server's URL (as the ``database`` fixture finds it)."""
    url = os.environ.get("DIGILOTSE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("DIGILOTSE_REQUIRE_POSTGRES") == "1":
            pytest.fail("DIGILOTSE_TEST_POSTGRES_URL is not set")
        pytest.skip('run: eval "$(scripts/ensure-postgres)"')
    return make_url(url)


def _libpq_env(url: URL, database: str) -> dict[str, str]:
    """The libpq variables the scripts read, for ``database`` on the test server."""
    return os.environ | {
        "PGHOST": url.host or "127.0.0.1",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "postgres",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": database,
    }


def _psql(url: URL, statement: str) -> None:
    """Run one statement on the server's maintenance database."""
    command = ["psql", "--no-psqlrc", "--quiet", "--command", statement]
    subprocess.run(command, env=_libpq_env(url, "postgres"), check=True, capture_output=True)


@pytest.fixture
def fresh_databases() -> Iterator[tuple[URL, str, str]]:
    """Two new, empty databases on the test server (source and restore target)."""
    url = _server()
    names = [f"digilotse_bk_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for name in names:
        _psql(url, f"CREATE DATABASE {name}")
    try:
        yield url, names[0], names[1]
    finally:
        for name in names:
            _psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def _store_user(database_url: str, user_id: int) -> None:
    database = Database(database_url)
    try:
        await database.upgrade()
        async with database.session() as session:
            await UserRepository(session).touch(user_id, user_id)
    finally:
        await database.dispose()


async def _has_user(database_url: str, user_id: int) -> bool:
    database = Database(database_url)
    try:
        async with database.session() as session:
            return await UserRepository(session).get(user_id) is not None
    finally:
        await database.dispose()


def _async_url(url: URL, database: str) -> str:
    return url.set(database=database).render_as_string(hide_password=False)


def test_a_restored_dump_holds_the_data_and_the_bot_accepts_it(
    fresh_databases: tuple[URL, str, str], tmp_path: Path
) -> None:
    """Dump, restore into a fresh database, and `digilotse db check` passes on the copy."""
    url, source, target = fresh_databases
    asyncio.run(_store_user(_async_url(url, source), 4711))
    backups = tmp_path / "backups"
    backup_env = _libpq_env(url, source) | {"BACKUP_DIR": str(backups)}
    subprocess.run(["sh", str(ROOT / "ops/backup.sh"), "once"], env=backup_env, check=True)
    (dump,) = backups.glob("*.dump")

    subprocess.run(
        ["sh", str(ROOT / "ops/restore.sh"), str(dump)], env=_libpq_env(url, target), check=True
    )

    assert asyncio.run(_has_user(_async_url(url, target), 4711))
    check_env = os.environ | {"DATABASE_URL": _async_url(url, target)}
    check = [sys.executable, "-m", "bot.cli", "db", "check"]
    result = subprocess.run(check, env=check_env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_restore_refuses_a_database_that_is_not_empty(
    fresh_databases: tuple[URL, str, str], tmp_path: Path
) -> None:
    """Restoring over live data is refused instead of mixing two states."""
    url, source, _ = fresh_databases
    asyncio.run(_store_user(_async_url(url, source), 1))
    backup_env = _libpq_env(url, source) | {"BACKUP_DIR": str(tmp_path)}
    subprocess.run(["sh", str(ROOT / "ops/backup.sh"), "once"], env=backup_env, check=True)
    (dump,) = tmp_path.glob("*.dump")

    result = subprocess.run(
        ["sh", str(ROOT / "ops/restore.sh"), str(dump)],
        env=_libpq_env(url, source),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert "not empty" in result.stderr


def test_backup_retention_removes_dumps_older_than_the_kept_days(
    fresh_databases: tuple[URL, str, str], tmp_path: Path
) -> None:
    """A dump older than BACKUP_KEEP_DAYS is deleted when the next dump is written."""
    url, source, _ = fresh_databases
    old = tmp_path / "digilotse-20200101T000000Z.dump"
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    env = _libpq_env(url, source) | {"BACKUP_DIR": str(tmp_path), "BACKUP_KEEP_DAYS": "14"}

    subprocess.run(["sh", str(ROOT / "ops/backup.sh"), "once"], env=env, check=True)

    assert not old.exists()
    assert len(list(tmp_path.glob("*.dump"))) == 1
