"""Förderradar deliveries through the outbox and the broadcast worker, against the stand-in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming
from bot.features.funding.feature import FundingFeature
from bot.features.funding.render import FundingRenderer
from bot.stores.funding import DatabaseFundingStore
from bot.telegram.funding_reminders import FundingReminders
from storage import Database
from storage.events.outbox import OutboxRepository
from tests.bot.telegram.test_broadcast import _broadcaster, _until_done
from tests.telegram_standin import StandinServer

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ADMIN = Incoming(1, 1, is_admin=True)
ALL, BROADBAND, AI = 1001, 1002, 1003


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as the CLI does


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        for user in (ADMIN.chat_id, ALL, BROADBAND, AI):
            server.add_user(user)
        yield server


async def _subscribe(feature: FundingFeature) -> None:
    for user, topic in ((ALL, ""), (BROADBAND, "breitband"), (AI, "ki")):
        await feature.on_command(Incoming(user, user), "foerderradar", topic)


async def _publish(feature: FundingFeature, deadline: date) -> int:
    """Record a broadband call and press "Jetzt senden"; the announcement id."""
    args = f"Gigabit | {deadline:%Y-%m-%d} | https://example.org/g | Ausbau | breitband"
    preview = await feature.on_command(ADMIN, "foerderaufruf", args)
    go = preview.replies[-1].buttons[0][0].data
    await feature.on_button(ADMIN, tuple(go.split(":")))
    return int(go.split(":")[2])


def _received(server: StandinServer, marker: str) -> Counter[int]:
    return Counter(
        int(call.chat_id or 0)
        for call in server.sent
        if call.ok and call.method == "sendMessage" and marker in (call.text or "")
    )


async def _drain(database: Database, server: StandinServer) -> None:
    """Run a fresh broadcast worker (as after a restart) until nothing is left to send."""
    async with server.bot() as bot:
        worker = _broadcaster(bot, database, pace=200)
        await worker.start()
        async with database.session() as session:
            running = [a.id for a in await OutboxRepository(session).sending()]
        for announcement_id in running:
            await _until_done(database, announcement_id)
        await worker.stop()


async def test_a_published_call_reaches_subscribers_of_all_topics_and_of_its_topic(
    database: Database, standin: StandinServer
) -> None:
    """The broadband call goes to "all" and "breitband" subscribers, not to "ki"."""
    feature = FundingFeature(DatabaseFundingStore(database), load_texts(), BERLIN, lambda: NOW)
    await _subscribe(feature)
    await _publish(feature, date(2027, 3, 1))
    await _drain(database, standin)
    assert _received(standin, "Neuer Förderaufruf") == Counter({ALL: 1, BROADBAND: 1})
    assert "Zugestellt: 2" in (standin.messages_to(ADMIN.chat_id)[-1].text or "")


async def test_deadline_reminder_goes_out_once_across_a_restart(
    database: Database, standin: StandinServer
) -> None:
    """Fourteen days before the deadline the sweep queues it once; a restart never resends."""
    deadline = date(2027, 1, 20)
    feature = FundingFeature(DatabaseFundingStore(database), load_texts(), BERLIN, lambda: NOW)
    await _subscribe(feature)
    await _publish(feature, deadline)
    due = datetime(2027, 1, 6, 8, 0, tzinfo=UTC)  # 14 days before, in Berlin

    def reminders(now: datetime) -> FundingReminders:
        return FundingReminders(
            DatabaseFundingStore(database), FundingRenderer(load_texts()), BERLIN, lambda: now
        )

    assert await reminders(due - timedelta(days=1)).sweep() == 0
    assert await reminders(due).sweep() == 1
    await _drain(database, standin)
    assert await reminders(due).sweep() == 0  # a new process, the same day
    assert await reminders(due + timedelta(days=3)).sweep() == 0
    await _drain(database, standin)
    reminded = _received(standin, "Erinnerung an eine Frist")
    assert reminded == Counter({ALL: 1, BROADBAND: 1})
    text = next(c.text for c in standin.sent if "Erinnerung" in (c.text or ""))
    assert "Frist in 14 Tagen" in (text or "")


async def test_a_call_published_within_two_weeks_of_its_deadline_gets_no_extra_reminder(
    database: Database, standin: StandinServer
) -> None:
    """The announcement already names the near deadline."""
    feature = FundingFeature(DatabaseFundingStore(database), load_texts(), BERLIN, lambda: NOW)
    await _subscribe(feature)
    await _publish(feature, date(2026, 12, 10))
    sweep = FundingReminders(
        DatabaseFundingStore(database), FundingRenderer(load_texts()), BERLIN, lambda: NOW
    )
    assert await sweep.sweep() == 0
