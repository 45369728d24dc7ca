"""Re-check reminders on SQLite and PostgreSQL: planning, what is due, claiming, declining."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Database, UserRepository
from storage.check.records import CheckResultRecord
from storage.check.reminders import CheckReminderRepository
from storage.check.repository import CheckRepository

FINISHED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
DUE = FINISHED + timedelta(days=365)


async def _result(database: Database, user: int, name: str = "Ulm") -> int:
    """A finished check of ``user`` with its result; the session id."""
    async with database.session() as session:
        await UserRepository(session).touch(user, user)
        checks = CheckRepository(session)
        check = await checks.start(user, "2025.1")
        await checks.set_status(check.id, "finished")
        dimensions: dict[str, float | None] = {"strategie": 2.0}
        record = CheckResultRecord(
            check.id, name, name.lower(), 1, "2025.1", 2.0, 2, dimensions, FINISHED
        )
        await checks.save_result(record)
    return check.id


async def _schedule(database: Database, user: int, session_id: int, due: datetime = DUE) -> None:
    async with database.session() as session:
        await CheckReminderRepository(session).schedule(user, user, session_id, due)


async def _due(database: Database, now: datetime = DUE) -> list[tuple[int, int, str]]:
    async with database.session() as session:
        found = await CheckReminderRepository(session).due(now, 10)
    return [(r.telegram_user_id, r.session_id, r.municipality) for r in found]


async def test_due_lists_unsent_reminders_of_reachable_users_with_their_result(
    database: Database,
) -> None:
    """Not before the moment, not for a user who blocked the bot; the result's name comes along."""
    first, second, blocked = [await _result(database, u, f"K{u}") for u in (1, 2, 3)]
    await _schedule(database, 1, first)
    await _schedule(database, 2, second, DUE + timedelta(minutes=1))
    await _schedule(database, 3, blocked)
    async with database.session() as session:
        await UserRepository(session).mark_inactive(3)
    assert await _due(database, DUE - timedelta(seconds=1)) == []
    assert await _due(database) == [(1, first, "K1")]
    assert await _due(database, DUE + timedelta(minutes=1)) == [(1, first, "K1"), (2, second, "K2")]


async def test_claimed_reminder_is_no_longer_due_and_a_new_result_plans_it_again(
    database: Database,
) -> None:
    """Claiming works once; a new result replaces the sent row with an unsent one."""
    old = await _result(database, 1)
    await _schedule(database, 1, old)
    async with database.session() as session:
        reminders = CheckReminderRepository(session)
        (reminder,) = await reminders.due(DUE, 10)
        assert await reminders.claim(reminder, DUE)
        assert not await reminders.claim(reminder, DUE)
    assert await _due(database) == []
    new = await _result(database, 1)
    await _schedule(database, 1, new, DUE + timedelta(days=30))
    assert await _due(database, DUE + timedelta(days=30)) == [(1, new, "Ulm")]


async def test_cancel_for_a_session_leaves_the_reminder_of_a_newer_result(
    database: Database,
) -> None:
    """A late "Nein danke" to the old question does not cancel the new one."""
    old = await _result(database, 1)
    new = await _result(database, 1)
    await _schedule(database, 1, new)
    async with database.session() as session:
        reminders = CheckReminderRepository(session)
        assert not await reminders.cancel(1, old)
        assert not await reminders.cancel(2, new)  # not their reminder
    assert await _due(database) == [(1, new, "Ulm")]
    async with database.session() as session:
        assert await CheckReminderRepository(session).cancel(1, new)
    assert await _due(database) == []
