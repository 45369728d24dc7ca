"""The broadcast worker against the Telegram stand-in and a real database (both backends)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.dialogue.events_render import EventRenderer
from bot.dialogue.texts import load_texts
from bot.telegram.broadcast import BroadcastConfig, Broadcaster
from storage import Database, UserRepository
from storage.event_records import OutboxCounts
from storage.events import EventRepository
from storage.outbox import OutboxRepository
from storage.types import utcnow
from tests.telegram_standin import StandinServer

ADMIN = 1
FIRST = 1000
HTML = "📅 <b>Netzwerktreffen</b>"


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as the CLI does


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        server.add_user(ADMIN)
        yield server


async def _queue(database: Database, server: StandinServer, users: int, blocked: int) -> int:
    """Seed subscribers (the first ``blocked`` of them blocked the bot) and start a broadcast."""
    async with database.session() as session:
        events = EventRepository(session)
        for user in range(FIRST, FIRST + users):
            server.add_user(user)
            await events.set_subscription(user, user, True)
        event = await events.add_event("T", utcnow().replace(year=2040), "Ort", "B", (60,))
        announcement = await OutboxRepository(session).create(event.id, HTML, ADMIN)
        await OutboxRepository(session).start(announcement.id)
    for user in range(FIRST, FIRST + blocked):
        server.block_user(user)
    return announcement.id


def _broadcaster(bot: Bot, database: Database, pace: float) -> Broadcaster:
    config = BroadcastConfig(pace=pace, concurrency=8, poll_interval=0.05, progress_interval=0.2)
    return Broadcaster(
        bot, database, EventRenderer(load_texts(), ZoneInfo("Europe/Berlin")), config
    )


async def _until_done(database: Database, announcement_id: int) -> None:
    async with asyncio.timeout(60):
        while True:
            async with database.session() as session:
                found = await OutboxRepository(session).get(announcement_id)
            if found is not None and found.status == "done":
                return
            await asyncio.sleep(0.05)


def _deliveries(server: StandinServer) -> Counter[int]:
    return Counter(
        int(call.chat_id or 0)
        for call in server.sent
        if call.ok and call.method == "sendMessage" and call.text == HTML
    )


async def test_every_live_subscriber_gets_it_once_blocked_become_inactive_admin_gets_report(
    database: Database, standin: StandinServer
) -> None:
    announcement_id = await _queue(database, standin, users=120, blocked=7)
    async with standin.bot() as bot:
        worker = _broadcaster(bot, database, pace=400)
        await worker.start()
        await _until_done(database, announcement_id)
        await worker.stop()
    delivered = _deliveries(standin)
    assert set(delivered) == set(range(FIRST + 7, FIRST + 120))
    assert set(delivered.values()) == {1}
    async with database.session() as session:
        assert await UserRepository(session).count(active_only=True) == 113
        counts = await OutboxRepository(session).counts(announcement_id)
    assert counts == OutboxCounts(sent=113, blocked=7)
    report = standin.messages_to(ADMIN)[-1].text or ""
    assert "Zugestellt: 113" in report
    assert "Blockiert (abgemeldet): 7" in report


async def test_retry_after_pauses_the_broadcast_and_nobody_is_skipped_or_doubled(
    database: Database, standin: StandinServer
) -> None:
    standin.rate_limit = 20
    announcement_id = await _queue(database, standin, users=60, blocked=0)
    async with standin.bot() as bot:
        worker = _broadcaster(bot, database, pace=200)
        await worker.start()
        await _until_done(database, announcement_id)
        await worker.stop()
    assert standin.stats.too_many_requests > 0
    assert _deliveries(standin) == Counter(range(FIRST, FIRST + 60))


async def test_after_a_stop_mid_broadcast_a_new_worker_finishes_with_duplicates_only_in_flight(
    database: Database, standin: StandinServer
) -> None:
    announcement_id = await _queue(database, standin, users=150, blocked=0)
    async with standin.bot() as bot:
        first = _broadcaster(bot, database, pace=100)
        await first.start()
        while sum(_deliveries(standin).values()) < 50:  # noqa: ASYNC110 - the stand-in's thread
            await asyncio.sleep(0.02)
        await first.stop()  # rows in flight stay 'sending', like after a crash
        second = _broadcaster(bot, database, pace=400)
        await second.start()
        await _until_done(database, announcement_id)
        await second.stop()
    delivered = _deliveries(standin)
    assert set(delivered) == set(range(FIRST, FIRST + 150))
    assert sum(delivered.values()) - 150 <= 8  # at most the concurrency was in flight


async def test_progress_is_shown_on_the_control_message(
    database: Database, standin: StandinServer
) -> None:
    announcement_id = await _queue(database, standin, users=30, blocked=0)
    async with standin.bot() as bot:
        control = await bot.send_message(ADMIN, "Vorschau")
        async with database.session() as session:
            await OutboxRepository(session).set_control_message(announcement_id, control.message_id)
        worker = _broadcaster(bot, database, pace=400)
        await worker.start()
        await _until_done(database, announcement_id)
        await worker.stop()
    edits = [c for c in standin.sent if c.method == "editMessageText" and c.ok]
    assert edits
    assert edits[-1].text == "📣 Versand läuft: 30 / 30 gesendet"
