"""Storage test helpers: a clock the tests move by hand, and sessions on the shared database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage import Database

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


class ManualClock:
    """A repository clock that stands still until a test advances it."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward (``days=``, ``hours=``, …) and return the new time."""
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    """A clock at 2025-03-01 09:30 UTC, advanced explicitly by the test."""
    return ManualClock()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """One session (one transaction) on the test database, committed at the end."""
    async with database.session() as session:
        yield session
