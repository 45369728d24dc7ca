"""Make two replicas' transactions interleave on PostgreSQL, every time (a test helper)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from sqlalchemy import text

from storage import Database

T = TypeVar("T")
_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE usename = current_user AND wait_event_type = 'Lock'"
)


async def racing(database: Database, lock: str, *work: Awaitable[T]) -> list[T | BaseException]:
    """Run ``work`` while ``lock`` (a ``SELECT … FOR UPDATE``) holds rows they all write.

    Each piece runs up to its first write of those rows and queues behind the lock; the lock
    is let go only when every piece waits. Results (or exceptions) in the order given.
    """
    async with database.engine.connect() as blocker, database.engine.connect() as observer:
        held = await blocker.begin()
        await blocker.execute(text(lock))
        running = asyncio.gather(*work, return_exceptions=True)
        async with asyncio.timeout(20):
            while await observer.scalar(_WAITING) != len(work):
                await observer.commit()  # a new snapshot of pg_stat_activity
                await asyncio.sleep(0.02)
        await held.rollback()
        return list(await running)
