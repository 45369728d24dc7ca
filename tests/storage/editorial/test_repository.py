"""ContentVersionRepository on both backends: the row every replica polls."""

from __future__ import annotations

from sqlalchemy import delete, select

from storage import Database
from storage.editorial.models import ContentVersion
from storage.editorial.repository import ContentVersionRepository
from tests.storage.clock import ManualClock


async def test_bump_raises_the_version_by_one_and_stamps_the_time(
    database: Database, clock: ManualClock
) -> None:
    """Each bump is one more; the row says when the last one happened."""
    async with database.session() as session:
        versions = ContentVersionRepository(session, clock)
        assert await versions.current() == 0
        assert await versions.bump() == 1
    later = clock.advance(minutes=5)
    async with database.session() as session:
        assert await ContentVersionRepository(session, clock).bump() == 2
    async with database.session() as session:
        row = await session.scalar(select(ContentVersion))
    assert row is not None
    assert (row.id, row.version, row.updated_at) == (1, 2, later)


async def test_bump_recreates_a_missing_row(database: Database) -> None:
    """The migration inserts the row; after the table was emptied the first bump makes it again."""
    async with database.session() as session:
        await session.execute(delete(ContentVersion))
    async with database.session() as session:
        assert await ContentVersionRepository(session).bump() == 1
    async with database.session() as session:
        assert await ContentVersionRepository(session).current() == 1
