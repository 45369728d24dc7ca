"""Database faults at start and while running: one clear line and exit 1, never silent loss."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.harness import REPO, BotProcess
from tests.telegram_standin import StandinServer

pytestmark = pytest.mark.e2e


def run_bot(standin: StandinServer, database: Path) -> subprocess.CompletedProcess[str]:
    """``digilotse run`` on ``database`` until it exits (it should, at once)."""
    env = {
        **os.environ,
        **standin.bot_env(),
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "PSEUDONYM_SECRET": "e2e-secret",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], words: str) -> None:
    """Exit 1 with exactly one line on stderr naming the fault, and no traceback."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr


def test_corrupt_database_at_start_is_one_line(standin: StandinServer, tmp_path: Path) -> None:
    """A file that is not an SQLite database stops the start with one line."""
    database = tmp_path / "bot.sqlite3"
    database.write_bytes(b"this is not a database " * 200)

    assert_one_line(run_bot(standin, database), "corrupt")


def test_locked_database_at_start_is_one_line(standin: StandinServer, tmp_path: Path) -> None:
    """Another process holding an exclusive lock stops the start with one line."""
    database = tmp_path / "bot.sqlite3"
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("CREATE TABLE other (x INTEGER)")
        holder.execute("BEGIN EXCLUSIVE")
        assert_one_line(run_bot(standin, database), "locked")
    finally:
        holder.close()


def test_a_second_bot_on_the_same_sqlite_file_is_refused_in_one_line(
    standin: StandinServer, tmp_path: Path
) -> None:
    """SQLite serves one process: a second ``digilotse run`` exits 1, the first keeps running."""
    database = tmp_path / "bot.sqlite3"
    first = BotProcess(standin, f"sqlite+aiosqlite:///{database}", log_path=tmp_path / "bot.log")
    first.start()
    try:
        assert_one_line(run_bot(standin, database), "another digilotse process already uses")
        assert first.process is not None
        assert first.process.poll() is None
    finally:
        first.stop()


def test_database_deleted_while_running_stops_the_bot(
    standin: StandinServer, tmp_path: Path
) -> None:
    """The watcher notices the missing file, says so and exits 1 instead of losing writes."""
    database = tmp_path / "bot.sqlite3"
    process = BotProcess(
        standin,
        f"sqlite+aiosqlite:///{database}",
        log_path=tmp_path / "bot.log",
        extra_env={"DATABASE_CHECK_SECONDS": "0.2"},
    )
    process.start()
    try:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        assert process.process is not None
        code = process.process.wait(timeout=20)
    finally:
        process.stop()
    time.sleep(0.1)
    log = process.log()
    assert code == 1, log
    assert "deleted or replaced" in log
    assert "Traceback" not in log
    assert not database.exists()  # reported, not silently recreated


def test_start_without_a_database_file_warns_that_it_is_new(
    standin: StandinServer, tmp_path: Path
) -> None:
    """A restart after a lost file says it began with an empty database."""
    process = BotProcess(
        standin, f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", log_path=tmp_path / "bot.log"
    )
    process.start()
    process.stop()
    assert "started with a new, empty one" in process.log()
