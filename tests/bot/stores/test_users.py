"""The user rows: written at once when new or moved, otherwise at most every ten minutes."""

from __future__ import annotations

from bot.stores.bundle import Stores
from storage import Database
from storage.users import UserRepository


async def _user(database: Database, user_id: int) -> tuple[bool, object] | None:
    async with database.session() as session:
        record = await UserRepository(session).get(user_id)
    return None if record is None else (record.is_active, record.last_seen_at)


async def test_repeated_messages_do_not_rewrite_the_user_row(
    stores: Stores, sqlite_database: Database
) -> None:
    await stores.users.touch_user(5, 5)
    first = await _user(sqlite_database, 5)
    await stores.users.touch_user(5, 5)
    assert await _user(sqlite_database, 5) == first


async def test_a_new_chat_id_is_written_at_once(stores: Stores, sqlite_database: Database) -> None:
    await stores.users.touch_user(5, 5)
    await stores.users.touch_user(5, 6)
    async with sqlite_database.session() as session:
        record = await UserRepository(session).get(5)
    assert record is not None
    assert record.chat_id == 6


async def test_unblocking_reactivates_a_user_a_broadcast_marked_inactive(
    stores: Stores, sqlite_database: Database
) -> None:
    await stores.users.touch_user(5, 5)
    async with sqlite_database.session() as session:  # as another replica does (own cache)
        await UserRepository(session).mark_inactive(5)
    await stores.users.touch_user(5, 5)
    assert (await _user(sqlite_database, 5) or (None,))[0] is False  # cached: not rewritten
    await stores.users.touch_user(5, 5, force=True)
    assert (await _user(sqlite_database, 5) or (None,))[0] is True


async def test_marking_inactive_forgets_the_cached_touch(
    stores: Stores, sqlite_database: Database
) -> None:
    await stores.users.touch_user(5, 5)
    await stores.users.mark_inactive(5)
    await stores.users.touch_user(5, 5)
    assert (await _user(sqlite_database, 5) or (None,))[0] is True
