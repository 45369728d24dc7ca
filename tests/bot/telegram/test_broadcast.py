"""The broadcast worker against the Telegram stand-in and a real database (both backends)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming
from bot.features.events.feature import EventsFeature
from bot.features.events.render import EventRenderer
from bot.metrics import Metrics
from bot.stores.events import DatabaseEventStore
from bot.stores.users import UserDirectory
from bot.telegram.broadcast import BroadcastConfig, Broadcaster
from bot.telegram.retry import BROADCAST_RETRY, RetryPolicy
from storage import Database, UserRecord, UserRepository
from storage.events.outbox import OutboxRepository
from storage.events.records import OutboxCounts
from storage.events.repository import EventRepository
from storage.types import utcnow
from tests.telegram_standin import StandinServer

ADMIN = 1
FIRST = 1000
HTML = "📅 <b>Netzwerktreffen</b>"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as the CLI does


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        server.add_user(ADMIN)
        yield server


async def _queue(
    database: Database, server: StandinServer, users: int, blocked: int, unknown: int = 0
) -> int:
    """Seed subscribers (the first ``blocked`` of them blocked the bot, ``unknown`` more whose
    chat Telegram does not know) and start a broadcast."""
    async with database.session() as session:
        events = EventRepository(session)
        for user in range(FIRST, FIRST + users + unknown):
            if user < FIRST + users:
                server.add_user(user)
            await events.set_subscription(user, user, True)
        event = await events.add_event("T", utcnow().replace(year=2040), "Ort", "B", (60,))
        announcement = await OutboxRepository(session).create(event.id, HTML, ADMIN)
        await OutboxRepository(session).start(announcement.id)
    for user in range(FIRST, FIRST + blocked):
        server.block_user(user)
    return announcement.id


def _broadcaster(
    bot: Bot,
    database: Database,
    pace: float,
    retry: RetryPolicy = BROADCAST_RETRY,
    metrics: Metrics | None = None,
    users: UserDirectory | None = None,
) -> Broadcaster:
    config = BroadcastConfig(
        pace=pace, concurrency=8, poll_interval=0.05, progress_interval=0.2, retry=retry
    )
    render = EventRenderer(load_texts(), BERLIN)
    users = users or UserDirectory(database)
    return Broadcaster(bot, database, render, config, users, metrics or Metrics())


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


async def test_a_user_blocked_during_a_broadcast_is_not_kept_inactive_by_a_stale_cache(
    database: Database, standin: StandinServer
) -> None:
    """The broadcast marks a blocked user inactive through the user directory, so their next
    message (a cached touch would skip the write for ten minutes) makes them reachable again."""
    directory = UserDirectory(database)
    await directory.touch_user(FIRST, FIRST)  # wrote moments ago: cached as reachable
    announcement_id = await _queue(database, standin, users=3, blocked=1)
    async with standin.bot() as bot:
        worker = _broadcaster(bot, database, pace=400, users=directory)
        await worker.start()
        await _until_done(database, announcement_id)
        await worker.stop()
    async with database.session() as session:
        assert not _active(await UserRepository(session).get(FIRST))
    standin.unblock_user(FIRST)
    await directory.touch_user(FIRST, FIRST)  # writes again, no unblock notice needed
    async with database.session() as session:
        assert _active(await UserRepository(session).get(FIRST))


def _active(user: UserRecord | None) -> bool:
    assert user is not None
    return user.is_active


async def test_retry_after_pauses_the_broadcast_and_nobody_is_skipped_or_doubled(
    database: Database, standin: StandinServer
) -> None:
    standin.rate_limit = 20
    # Flood control for sure, however fast this machine sends (under load it may stay below 20/s).
    standin.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=3
    )
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


async def _counts(database: Database, announcement_id: int) -> OutboxCounts:
    async with database.session() as session:
        return await OutboxRepository(session).counts(announcement_id)


def _assert_report_equals(report: str, counts: OutboxCounts) -> None:
    for label, number in (("Zugestellt", counts.sent), ("Fehlgeschlagen", counts.failed)):
        assert f"{label}: {number}\n" in report
    assert f"Blockiert (abgemeldet): {counts.blocked}\n" in report


async def test_failed_rows_are_reported_by_reason_and_an_admin_sends_them_again(
    database: Database, standin: StandinServer
) -> None:
    """Telegram unreachable for a while, one unknown chat: the report names both reasons and
    offers a resend; only an admin's press queues the rows, and the final report is the
    database's truth."""
    standin.fail_next("sendMessage", 502, "Bad Gateway", times=20)
    announcement_id = await _queue(database, standin, users=30, blocked=0, unknown=1)
    feature = EventsFeature(DatabaseEventStore(database), load_texts(), BERLIN, utcnow)
    press = ("ev", "rs", str(announcement_id))
    async with standin.bot() as bot:
        worker = _broadcaster(bot, database, 400, RetryPolicy(base=0.01, cap=0.01, attempts=2))
        await worker.start()
        await _until_done(database, announcement_id)
        first = standin.messages_to(ADMIN)[-1]
        failed = await _counts(database, announcement_id)
        assert failed.failed > 1
        _assert_report_equals(first.text or "", failed)
        assert f"Telegram nicht erreichbar: {failed.failed - 1}" in (first.text or "")
        assert "Chat nicht gefunden: 1" in (first.text or "")
        assert first.callback_data == [f"ev:rs:{announcement_id}"]

        refused = await feature.on_button(Incoming(FIRST, FIRST), press)
        assert refused.toast == "Dieser Befehl ist dem Redaktionsteam vorbehalten."
        assert await _counts(database, announcement_id) == failed
        standin.latency = 0.2  # the worker cannot finish between the two presses
        started = await feature.on_button(Incoming(ADMIN, ADMIN, is_admin=True), press)
        again = await feature.on_button(Incoming(ADMIN, ADMIN, is_admin=True), press)
        standin.latency = 0.0
        assert f"erneut gesendet: {failed.failed}." in started.replies[0].html
        assert again.toast == "Die fehlgeschlagenen Nachrichten werden bereits erneut gesendet."
        await _until_done(database, announcement_id)
        await worker.stop()
    final = standin.messages_to(ADMIN)[-1]
    counts = await _counts(database, announcement_id)
    assert counts == OutboxCounts(sent=30, failed=1)
    _assert_report_equals(final.text or "", counts)
    assert "Chat nicht gefunden: 1" in (final.text or "")
    assert _deliveries(standin) == Counter(range(FIRST, FIRST + 30))


async def test_metrics_count_queued_rows_and_each_outcome_as_the_database_does(
    database: Database, standin: StandinServer
) -> None:
    """``digilotse_broadcast_messages_total`` per state equals the outbox, blocked included."""
    metrics = Metrics()
    announcement_id = await _queue(database, standin, users=20, blocked=3, unknown=1)
    async with standin.bot() as bot:
        worker = _broadcaster(bot, database, pace=400, metrics=metrics)
        await worker.start()
        await _until_done(database, announcement_id)
        await worker.stop()
    counts = await _counts(database, announcement_id)
    assert counts == OutboxCounts(sent=17, blocked=3, failed=1)
    found = {
        state: metrics.registry.get_sample_value(
            "digilotse_broadcast_messages_total", {"state": state}
        )
        for state in ("queued", "sent", "blocked", "failed")
    }
    assert found == {"queued": 21, "sent": 17, "blocked": 3, "failed": 1}
