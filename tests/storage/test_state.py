"""StateRepository on both backends: dialogue state that outlives the process."""

from __future__ import annotations

from typing import Any

import pytest

from storage import Database, StateRepository, UnknownUserError, UserRepository

STATE: dict[str, Any] = {
    "flow": "check",
    "step": 3,
    "answers": {"q1": "ja", "q2": ["Bürgerportal", "E-Akte"]},
    "note": "Größe: 5 000 Einwohner",
    "resume": None,
}


async def _user(database: Database, telegram_user_id: int = 42) -> None:
    async with database.session() as session:
        await UserRepository(session).touch(telegram_user_id, telegram_user_id)


async def test_load_returns_none_without_saved_state(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        states = StateRepository(session)
        assert await states.load(42) is None
        assert await states.load(999) is None


async def test_save_then_load_returns_equal_nested_state(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        await StateRepository(session).save(42, STATE)
    async with database.session() as session:
        assert await StateRepository(session).load(42) == STATE


async def test_save_again_replaces_the_whole_state(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        await StateRepository(session).save(42, STATE)
    async with database.session() as session:
        await StateRepository(session).save(42, {"flow": "qa"})
    async with database.session() as session:
        assert await StateRepository(session).load(42) == {"flow": "qa"}


async def test_clear_removes_state_but_keeps_user(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        await StateRepository(session).save(42, STATE)
    async with database.session() as session:
        await StateRepository(session).clear(42)
        await StateRepository(session).clear(999)  # unknown users are fine
    async with database.session() as session:
        assert await StateRepository(session).load(42) is None
        assert await UserRepository(session).get(42) is not None


async def test_save_for_unknown_user_raises(database: Database) -> None:
    async with database.session() as session:
        with pytest.raises(UnknownUserError):
            await StateRepository(session).save(42, STATE)


async def test_state_survives_new_database_instance(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        await StateRepository(session).save(42, STATE)
    await database.dispose()  # the process stops ...
    restarted = Database(database.url)  # ... and starts again
    try:
        await restarted.upgrade()
        async with restarted.session() as session:
            assert await StateRepository(session).load(42) == STATE
    finally:
        await restarted.dispose()
