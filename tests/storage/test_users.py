"""UserRepository on both backends: who talked to the bot and whether they can be reached."""

from __future__ import annotations

from storage import Database, StateRepository, UserRepository

from .clock import START, ManualClock

# Telegram ids exceed 32 bits; group chat ids are negative.
BIG_USER_ID = 7_123_456_789
GROUP_CHAT_ID = -1_001_234_567_890


async def test_touch_creates_user_seen_now(database: Database, clock: ManualClock) -> None:
    async with database.session() as session:
        user = await UserRepository(session, clock).touch(BIG_USER_ID, GROUP_CHAT_ID)
    assert (user.telegram_user_id, user.chat_id, user.is_active) == (
        BIG_USER_ID,
        GROUP_CHAT_ID,
        True,
    )
    assert user.created_at == user.last_seen_at == START


async def test_touch_again_updates_last_seen_and_chat_but_keeps_created_at(
    database: Database, clock: ManualClock
) -> None:
    async with database.session() as session:
        await UserRepository(session, clock).touch(42, 42)
    later = clock.advance(days=3)
    async with database.session() as session:
        user = await UserRepository(session, clock).touch(42, 4242)
    assert (user.chat_id, user.created_at, user.last_seen_at) == (4242, START, later)
    async with database.session() as session:
        assert await UserRepository(session).count() == 1


async def test_touch_reactivates_user_marked_inactive(database: Database) -> None:
    async with database.session() as session:
        users = UserRepository(session)
        await users.touch(42, 42)
        assert await users.mark_inactive(42)
    async with database.session() as session:
        stored = await UserRepository(session).get(42)
        assert stored is not None
        assert not stored.is_active
    async with database.session() as session:
        assert (await UserRepository(session).touch(42, 42)).is_active


async def test_get_returns_none_for_unknown_user(database: Database) -> None:
    async with database.session() as session:
        assert await UserRepository(session).get(42) is None


async def test_mark_inactive_returns_false_for_unknown_user(database: Database) -> None:
    async with database.session() as session:
        assert not await UserRepository(session).mark_inactive(42)


async def test_count_counts_all_or_only_active_users(database: Database) -> None:
    async with database.session() as session:
        users = UserRepository(session)
        for telegram_id in (1, 2, 3):
            await users.touch(telegram_id, telegram_id)
        await users.mark_inactive(2)
        assert (await users.count(), await users.count(active_only=True)) == (3, 2)


async def test_delete_removes_user_and_their_state_only(database: Database) -> None:
    async with database.session() as session:
        users, states = UserRepository(session), StateRepository(session)
        for telegram_id in (1, 2):
            await users.touch(telegram_id, telegram_id)
            await states.save(telegram_id, {"step": telegram_id})
    async with database.session() as session:
        assert await UserRepository(session).delete(1)
    async with database.session() as session:
        users, states = UserRepository(session), StateRepository(session)
        assert await users.get(1) is None
        assert await states.load(1) is None
        assert await states.load(2) == {"step": 2}


async def test_delete_returns_false_for_unknown_user(database: Database) -> None:
    async with database.session() as session:
        assert not await UserRepository(session).delete(42)
