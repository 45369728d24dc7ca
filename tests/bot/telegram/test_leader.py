"""Replicas on one PostgreSQL schema: one leads the once-only work, another takes over."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text

from bot.telegram.broadcast import Broadcaster
from bot.telegram.leader import LeaderLoop
from storage import Database, Leadership
from tests.bot.telegram.test_broadcast import (
    ADMIN,
    FIRST,
    _broadcaster,
    _deliveries,
    _queue,
    _until_done,
)
from tests.telegram_standin import StandinServer

pytestmark = pytest.mark.parametrize("migrated_database_url", ["postgres"], indirect=True)

TAKEOVER_LIMIT_S = 5.0
LOCK_HOLDER = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND pid IN "
    "(SELECT pid FROM pg_stat_activity WHERE usename = current_user)"
)


class Work:
    """Counts how often the once-only work was started and stopped."""

    def __init__(self) -> None:
        self.leads = 0
        self.follows = 0

    async def lead(self) -> None:
        self.leads += 1

    async def follow(self) -> None:
        self.follows += 1


class CountedLeadership(Leadership):
    """The real leadership, counting the attempts to acquire it."""

    attempts = 0

    async def try_acquire(self) -> bool:
        """Try the real lock, then count the attempt."""
        try:
            return await super().try_acquire()
        finally:
            self.attempts += 1


async def _attempts(leadership: CountedLeadership, count: int) -> None:
    """Wait until ``leadership`` has been tried ``count`` times."""
    async with asyncio.timeout(10):
        while leadership.attempts < count:  # noqa: ASYNC110 - the loop runs on its own
            await asyncio.sleep(0.02)


@pytest.fixture
async def second(migrated_database_url: str) -> AsyncIterator[Database]:
    """Another replica's handle on the test's database (its own engine and pool)."""
    found = Database(migrated_database_url)
    yield found
    await found.dispose()


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        server.add_user(ADMIN)
        yield server


async def _kill_lock_connection(database: Database) -> None:
    """Terminate the leader's lock session on the server, as its process dying would."""
    async with database.engine.connect() as connection:
        pids = list(await connection.scalars(text(LOCK_HOLDER)))
        assert len(pids) == 1
        await connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pids[0]})


async def _until(condition: LeaderLoop, leading: bool = True) -> float:
    """Seconds until ``condition`` leads (or follows)."""
    started = time.monotonic()
    async with asyncio.timeout(TAKEOVER_LIMIT_S + 5):
        while condition.leading != leading:  # noqa: ASYNC110 - the loop runs on its own
            await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_of_two_replicas_on_one_schema_exactly_one_runs_the_work(
    database: Database, second: Database
) -> None:
    """Both keep trying; only the first ever starts the work."""
    works = Work(), Work()
    leaderships = CountedLeadership(database), CountedLeadership(second)
    loops = [
        LeaderLoop(leadership, work.lead, work.follow, interval=0.05)
        for leadership, work in zip(leaderships, works, strict=True)
    ]
    for loop in loops:
        await loop.start()
    await _attempts(leaderships[1], 5)  # the second kept trying while the first leads
    assert [loop.leading for loop in loops] == [True, False]
    assert [(w.leads, w.follows) for w in works] == [(1, 0), (0, 0)]
    for loop in loops:
        await loop.stop()
    assert works[0].follows == 1


async def test_when_the_leaders_connection_dies_the_other_takes_over_within_seconds(
    database: Database, second: Database
) -> None:
    """With the default 2 s interval the follower leads soon, and the old leader stops."""
    works = Work(), Work()
    first = LeaderLoop(Leadership(database), works[0].lead, works[0].follow)
    other = LeaderLoop(Leadership(second), works[1].lead, works[1].follow)
    await first.start()
    await other.start()
    await _kill_lock_connection(second)
    seconds = await _until(other)
    await _until(first, leading=False)
    assert seconds < TAKEOVER_LIMIT_S
    assert (works[0].follows, works[1].leads) == (1, 1)
    await first.stop()
    await other.stop()


def _worker_loop(broadcaster: Broadcaster, database: Database) -> LeaderLoop:
    return LeaderLoop(Leadership(database), broadcaster.start, broadcaster.stop, interval=0.2)


async def test_a_broadcast_whose_replica_dies_is_finished_by_the_other(
    database: Database, second: Database, standin: StandinServer
) -> None:
    """Every subscriber is reached; only rows in flight at the crash may arrive twice."""
    announcement_id = await _queue(database, standin, users=200, blocked=0)
    async with standin.bot() as bot:
        replica_a = _broadcaster(bot, database, pace=100)
        replica_b = _broadcaster(bot, second, pace=400)
        loop_a, loop_b = _worker_loop(replica_a, database), _worker_loop(replica_b, second)
        await loop_a.start()
        await loop_b.start()  # a follower: it must not requeue A's rows in flight
        while sum(_deliveries(standin).values()) < 60:  # noqa: ASYNC110 - the stand-in's thread
            await asyncio.sleep(0.02)
        assert max(_deliveries(standin).values()) == 1
        await replica_a.stop()  # A's tasks die mid-send: rows in flight stay 'sending'
        await _kill_lock_connection(second)  # … and so does its lock's session
        await _until_done(second, announcement_id)
        assert loop_b.leading
        await loop_b.stop()
        await loop_a.stop()
    delivered = _deliveries(standin)
    assert set(delivered) == set(range(FIRST, FIRST + 200))
    assert sum(delivered.values()) - 200 <= 8  # at most the concurrency was in flight
