"""The engine's storage ports: pseudonymous logging and the user row kept cheaply up to date."""

from __future__ import annotations

from bot.persistence import StoragePorts, normalize_question
from storage import Database
from storage.users import UserRepository


async def _user(database: Database, user_id: int) -> tuple[bool, object] | None:
    async with database.session() as session:
        record = await UserRepository(session).get(user_id)
    return None if record is None else (record.is_active, record.last_seen_at)


async def test_repeated_messages_do_not_rewrite_the_user_row(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    first = await _user(sqlite_database, 5)
    await ports.touch_user(5, 5)
    assert await _user(sqlite_database, 5) == first


async def test_a_new_chat_id_is_written_at_once(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    await ports.touch_user(5, 6)
    async with sqlite_database.session() as session:
        record = await UserRepository(session).get(5)
    assert record is not None
    assert record.chat_id == 6


async def test_unblocking_reactivates_a_user_a_broadcast_marked_inactive(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    async with sqlite_database.session() as session:  # as the broadcast worker does
        await UserRepository(session).mark_inactive(5)
    await ports.touch_user(5, 5)
    assert (await _user(sqlite_database, 5) or (None,))[0] is False  # cached: not rewritten
    await ports.touch_user(5, 5, force=True)
    assert (await _user(sqlite_database, 5) or (None,))[0] is True


async def test_marking_inactive_through_the_ports_forgets_the_cached_touch(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    await ports.mark_inactive(5)
    await ports.touch_user(5, 5)
    assert (await _user(sqlite_database, 5) or (None,))[0] is True


def test_question_normalisation_groups_spellings() -> None:
    assert normalize_question("Wo ist die FÖRDERUNG??") == normalize_question(
        "wo ist die Forderung"
    )
