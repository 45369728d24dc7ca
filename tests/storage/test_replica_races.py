"""What two replicas do at the same moment on one PostgreSQL schema: the database decides."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from storage import Database, UserRepository
from storage.events.models import OutboxRow
from storage.events.outbox import OutboxRepository
from storage.events.repository import EventRepository
from storage.privacy import delete_user_data
from storage.types import utcnow

from .races import racing

pytestmark = pytest.mark.parametrize("migrated_database_url", ["postgres"], indirect=True)

USER, ADMIN = 4711, 1
LOCK_USERS = "SELECT id FROM users FOR UPDATE"


@pytest.fixture
async def second(migrated_database_url: str) -> AsyncIterator[Database]:
    """Another replica's handle on the test's database (its own engine and pool)."""
    found = Database(migrated_database_url)
    yield found
    await found.dispose()


async def _event(database: Database) -> int:
    async with database.session() as session:
        events = EventRepository(session)
        event = await events.add_event("T", utcnow().replace(year=2040), "Ort", "B", (60,))
        await events.set_subscription(USER, USER, True)
    return event.id


async def _rsvp(database: Database, event_id: int) -> None:
    async with database.session() as session:
        await EventRepository(session).set_rsvp(USER, USER, event_id, True)


async def _delete(database: Database) -> dict[str, int]:
    async with database.session() as session:
        return await delete_user_data(session, USER, "secret")


async def test_an_rsvp_and_a_deletion_at_once_leave_the_user_whole_or_gone(
    database: Database, second: Database
) -> None:
    """Either order is fine; a half state (an RSVP without its user, an error) is not."""
    event_id = await _event(database)
    outcome = await racing(database, LOCK_USERS, _rsvp(database, event_id), _delete(second))
    assert not [found for found in outcome if isinstance(found, BaseException)], outcome
    async with database.session() as session:
        user = await UserRepository(session).get(USER)
        counts = await EventRepository(session).counts(event_id)
    assert (user is None, counts.yes) in [(True, 0), (False, 1)]


async def _go(database: Database, announcement_id: int) -> int | None:
    async with database.session() as session:
        return await OutboxRepository(session).start(announcement_id)


async def test_two_presses_of_send_on_two_replicas_queue_the_announcement_once(
    database: Database, second: Database
) -> None:
    """Only one press moves the draft on; the outbox holds one row per recipient."""
    event_id = await _event(database)
    async with database.session() as session:
        announcement = await OutboxRepository(session).create(event_id, "<b>T</b>", ADMIN)
    outcome = await racing(
        database,
        "SELECT id FROM announcements FOR UPDATE",
        _go(database, announcement.id),
        _go(second, announcement.id),
    )
    assert sorted(outcome, key=str) == [1, None]
    async with database.session() as session:
        rows = await session.scalar(select(func.count()).select_from(OutboxRow))
    assert rows == 1
