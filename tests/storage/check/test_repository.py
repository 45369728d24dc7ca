"""Check sessions, answers and results on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from storage import Database, UserRepository
from storage.check.models import CheckSession
from storage.check.records import CheckResultRecord
from storage.check.repository import CheckAlreadyOpenError, CheckRepository
from storage.models import User

WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


async def _user(database: Database, telegram_id: int = 1) -> None:
    async with database.session() as session:
        await UserRepository(session).touch(telegram_id, telegram_id)


async def test_a_user_has_at_most_one_unfinished_check(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        first = await CheckRepository(session).start(1, "2025.1")
    async with database.session() as session:
        with pytest.raises(CheckAlreadyOpenError):
            await CheckRepository(session).start(1, "2025.1")
    async with database.session() as session:
        assert await CheckRepository(session).set_status(first.id, "finished")
        second = await CheckRepository(session).start(1, "2025.1")
    assert second.id != first.id
    assert second.position == 0
    assert second.status == "open"


async def test_the_database_itself_rejects_a_second_open_session(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        await CheckRepository(session).start(1, "2025.1")
    async with database.session() as session:
        user_id = await session.scalar(select(User.id))
    row: dict[str, object] = {
        "user_id": user_id,
        "status": "paused",
        "version": "v",
        "position": 0,
        "context": {},
        "created_at": WHEN,
        "updated_at": WHEN,
    }
    with pytest.raises(IntegrityError):
        await _insert(database, row)


async def _insert(database: Database, row: dict[str, object]) -> None:
    async with database.session() as session:
        await session.execute(insert(CheckSession).values(**row))


async def test_move_is_guarded_by_the_expected_position(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        repository = CheckRepository(session)
        record = await repository.start(1, "2025.1")
        assert await repository.move(record.id, 0, 1, context={"size": 2}, municipality="Ort")
        assert not await repository.move(record.id, 0, 1)
        moved = await repository.get(record.id)
    assert moved is not None
    assert moved.position == 1
    assert moved.context == {"size": 2}
    assert moved.municipality == "Ort"


async def test_answers_are_replaced_not_duplicated_and_unknown_is_null(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        repository = CheckRepository(session)
        record = await repository.start(1, "2025.1")
        await repository.answer(record.id, "S1", 2)
        await repository.answer(record.id, "S1", 3)
        await repository.answer(record.id, "S2", None)
        assert await repository.answers(record.id) == {"S1": 3, "S2": None}


async def test_results_filter_by_municipality_and_size_class(database: Database) -> None:
    await _user(database)
    await _user(database, 2)
    for telegram_id, key, size in ((1, "a", 1), (2, "b", 2)):
        async with database.session() as session:
            repository = CheckRepository(session)
            record = await repository.start(telegram_id, "2025.1")
            await repository.save_result(
                CheckResultRecord(
                    record.id,
                    key.upper(),
                    key,
                    size,
                    "2025.1",
                    2.5,
                    3,
                    {"it": 2.5, "daten": None},
                    WHEN,
                )
            )
    async with database.session() as session:
        repository = CheckRepository(session)
        assert [r.municipality for r in await repository.results()] == ["A", "B"]
        found = await repository.results(municipality_key="b")
        assert [r.size_class for r in found] == [2]
        assert found[0].dimensions == {"it": 2.5, "daten": None}
        assert [r.municipality for r in await repository.results(size_class=1)] == ["A"]


async def test_deleting_the_user_deletes_their_checks(database: Database) -> None:
    await _user(database)
    async with database.session() as session:
        record = await CheckRepository(session).start(1, "2025.1")
        await CheckRepository(session).answer(record.id, "S1", 1)
    async with database.session() as session:
        await UserRepository(session).delete(1)
    async with database.session() as session:
        assert await CheckRepository(session).get(record.id) is None
