"""One process per SQLite database: the lock beside the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import single_process
from storage.db import DatabaseFaultError


def test_a_second_claim_on_the_same_database_is_refused_in_one_line(tmp_path: Path) -> None:
    """While one process holds the lock, another claim fails naming the file."""
    database = tmp_path / "bot.sqlite3"
    first = single_process.claim(database)
    try:
        with pytest.raises(DatabaseFaultError, match="another digilotse process") as refused:
            single_process.claim(database)
        assert str(database) in str(refused.value)
        assert "\n" not in str(refused.value)
    finally:
        single_process.release(first)


def test_after_release_the_database_can_be_claimed_again(tmp_path: Path) -> None:
    """A stopped bot (or a leftover lock file) never blocks the next start."""
    database = tmp_path / "data" / "bot.sqlite3"
    single_process.release(single_process.claim(database))
    assert single_process.lock_path(database).exists()
    again = single_process.claim(database)
    assert again is not None
    single_process.release(again)


def test_other_databases_are_not_blocked(tmp_path: Path) -> None:
    """Each file has its own lock; PostgreSQL and in-memory databases have none."""
    first = single_process.claim(tmp_path / "a.sqlite3")
    second = single_process.claim(tmp_path / "b.sqlite3")
    try:
        assert first is not None
        assert second is not None
        assert single_process.claim(None) is None
    finally:
        single_process.release(first)
        single_process.release(second)
