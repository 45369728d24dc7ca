"""The Förderradar end to end: ``digilotse run`` as a subprocess against the stand-in.

A call published by an admin reaches a radar subscriber; a deadline reminder planned by the
start-up sweep goes out once to every subscriber across a kill -9 and a restart.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from storage import Database
from storage.events.models import Announcement
from storage.funding.repository import FundingRepository, NewCall
from tests.e2e.broadcast_scenario import _wait
from tests.e2e.harness import BotProcess
from tests.telegram_standin import StandinServer

pytestmark = pytest.mark.e2e
ADMIN = 900_001
FIRST = 3_000_000
CONCURRENCY = 8  # BroadcastConfig default: at most this many rows in flight
REMINDER_MARK = "Erinnerung an eine Frist"


@pytest.fixture
def fast_standin() -> Iterator[StandinServer]:
    """A stand-in allowing 120 msg/s."""
    with StandinServer(rate_limit=120.0) as server:
        server.add_user(ADMIN)
        yield server


def _berlin_today() -> date:
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


async def _seed(url: str, subscribers: int, deadline: date) -> None:
    """Radar subscribers and one published call whose reminder is due (not yet claimed)."""
    database = Database(url)
    try:
        async with database.session() as session:
            radar = FundingRepository(session)
            for user in range(FIRST, FIRST + subscribers):
                await radar.subscribe(user, user, None)
            new = NewCall("Gigabit", "Ausbau", "https://example.org/g", "breitband", deadline)
            call = await radar.add_call(new, ADMIN)
            await radar.publish(call.id, deadline - timedelta(days=30), 14)
    finally:
        await database.dispose()


async def _reminder_announcements(url: str) -> int:
    database = Database(url)
    try:
        async with database.session() as session:
            query = select(func.count()).where(Announcement.funding_call_id.is_not(None))
            return int(await session.scalar(query) or 0)
    finally:
        await database.dispose()


def _received(standin: StandinServer, marker: str) -> Counter[int]:
    """Accepted messages with ``marker`` per subscriber chat (the admin's preview left out)."""
    return Counter(
        int(call.chat_id or 0)
        for call in standin.sent
        if call.ok and call.method == "sendMessage" and marker in (call.text or "")
        and int(call.chat_id or 0) != ADMIN
    )  # fmt: skip


def _bot(standin: StandinServer, directory: Path) -> tuple[BotProcess, str]:
    url = f"sqlite+aiosqlite:///{directory / 'bot.sqlite3'}"
    env = {"ADMIN_IDS": str(ADMIN), "BROADCAST_PACE": "100", "LOG_LEVEL": "WARNING"}
    return BotProcess(standin, url, log_path=directory / "bot.log", extra_env=env), url


def test_a_published_call_reaches_a_radar_subscriber(
    fast_standin: StandinServer, tmp_path: Path
) -> None:
    """/foerderradar, then the admin's /foerderaufruf and "Jetzt senden"."""
    subscriber = FIRST
    fast_standin.add_user(subscriber)
    bot, _url = _bot(fast_standin, tmp_path)
    bot.start()
    try:
        mark = fast_standin.mark()
        fast_standin.inject_command(subscriber, "/foerderradar breitband")
        fast_standin.wait_for_message(subscriber, contains="zum Thema Breitband", since=mark)
        deadline = _berlin_today() + timedelta(days=60)
        command = f"/foerderaufruf Gigabit | {deadline:%Y-%m-%d} | https://example.org/g | Ausbau"
        fast_standin.inject_command(ADMIN, command + " | breitband")
        fast_standin.wait_for_message(ADMIN, contains="Empfänger: 1", since=mark)
        go = next(
            d for m in fast_standin.messages_to(ADMIN) for d in m.callback_data if "fr:go:" in d
        )
        fast_standin.inject_callback(ADMIN, go)
        fast_standin.wait_for_message(subscriber, contains="Neuer Förderaufruf", since=mark)
        fast_standin.wait_for_message(ADMIN, contains="Versand abgeschlossen", since=mark)
    finally:
        bot.stop()
    assert _received(fast_standin, "Neuer Förderaufruf") == Counter({subscriber: 1})


def test_deadline_reminder_goes_out_once_across_kill_9_and_restart(
    fast_standin: StandinServer, tmp_path: Path
) -> None:
    """The start-up sweep queues it; after SIGKILL the restart neither re-plans nor loses it."""
    subscribers = 400
    for user in range(FIRST, FIRST + subscribers):
        fast_standin.add_user(user)
    bot, url = _bot(fast_standin, tmp_path)
    asyncio.run(_seed_after_migration(url, subscribers))
    bot.start()
    try:
        _wait(lambda: sum(_received(fast_standin, REMINDER_MARK).values()) >= 100, 120)
        bot.kill()
        bot.restart()
        fast_standin.wait_for_message(
            ADMIN, contains="Versand abgeschlossen", timeout=120, edits=False
        )
    finally:
        bot.stop()
    received = _received(fast_standin, REMINDER_MARK)
    assert set(received) == set(range(FIRST, FIRST + subscribers))
    assert sum(received.values()) - subscribers <= CONCURRENCY
    assert asyncio.run(_reminder_announcements(url)) == 1


async def _seed_after_migration(url: str, subscribers: int) -> None:
    """The schema first (the bot would create it on start), then the seed."""
    database = Database(url)
    try:
        await database.upgrade()
    finally:
        await database.dispose()
    await _seed(url, subscribers, _berlin_today() + timedelta(days=10))
