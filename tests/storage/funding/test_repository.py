"""Funding calls and radar subscriptions on both backends."""

from __future__ import annotations

from datetime import date

from storage import Database
from storage.events.outbox import OutboxRepository
from storage.funding.repository import FundingRepository, NewCall, radar_recipients

TODAY = date(2026, 12, 3)


async def _call(database: Database, deadline: date, topic: str | None, publish: bool = True) -> int:
    async with database.session() as session:
        calls = FundingRepository(session)
        call = await calls.add_call(NewCall("T", "B", "https://e.org/", topic, deadline), 1)
        if publish:
            await calls.publish(call.id, TODAY, 14)
        return call.id


async def test_recipients_are_subscribers_of_every_topic_and_of_the_calls_topic(
    database: Database,
) -> None:
    """A "ki" subscriber gets no broadband call; inactive ones get nothing."""
    async with database.session() as session:
        radar = FundingRepository(session)
        await radar.subscribe(10, 10, None)
        await radar.subscribe(11, 11, "breitband")
        await radar.subscribe(12, 12, "ki")
        await radar.subscribe(13, 13, None)
        await radar.unsubscribe(13)
    async with database.session() as session:
        chats = [row.chat_id for row in await session.execute(radar_recipients("breitband"))]
        untopical = [row.chat_id for row in await session.execute(radar_recipients(None))]
        assert await FundingRepository(session).count_recipients("ki") == 2
    assert sorted(chats) == [10, 11]
    assert untopical == [10]


async def test_drafts_and_past_deadlines_are_not_open(database: Database) -> None:
    """Only published calls with a deadline today or later, nearest first."""
    await _call(database, date(2027, 1, 1), None, publish=False)
    late = await _call(database, date(2027, 2, 1), "ki")
    soon = await _call(database, date(2026, 12, 5), "ki")
    await _call(database, date(2026, 12, 4), None)
    async with database.session() as session:
        radar = FundingRepository(session)
        assert [c.id for c in await radar.open_calls(TODAY, "ki")] == [soon, late]
        assert len(await radar.open_calls(date(2026, 12, 5))) == 2


async def test_a_reminder_is_claimed_once_and_near_deadlines_are_claimed_at_publication(
    database: Database,
) -> None:
    """Within 14 days at publication: no separate reminder; later ones once."""
    await _call(database, date(2026, 12, 10), None)
    later = await _call(database, date(2027, 1, 20), None)
    async with database.session() as session:
        radar = FundingRepository(session)
        assert await radar.reminders_due(TODAY, 14) == []
        [due] = await radar.reminders_due(date(2027, 1, 6), 14)
        assert due.id == later
        assert await radar.claim_reminder(later) is True
        assert await radar.claim_reminder(later) is False
        assert await radar.reminders_due(date(2027, 1, 6), 14) == []


async def test_an_announcement_of_a_call_carries_its_title(database: Database) -> None:
    """The broadcast report names the call."""
    call_id = await _call(database, date(2027, 1, 20), None)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        announcement = await outbox.create(None, "<b>T</b>", 1, funding_call_id=call_id)
        assert await outbox.title(announcement.id) == "T"
        assert (await outbox.get(announcement.id)) == announcement


async def test_a_calls_details_are_stored_and_read_back(database: Database) -> None:
    """Funder, who may apply, amount and stand survive the round trip."""
    details = ("Land", "Kreise", "50 %", date(2026, 12, 1))
    new = NewCall("T", "B", "https://e.org/", "ki", date(2027, 1, 20), *details)
    async with database.session() as session:
        call = await FundingRepository(session).add_call(new, 1)
    async with database.session() as session:
        stored = await FundingRepository(session).get_call(call.id, published_only=False)
    assert stored == call
    assert stored is not None
    assert (stored.funder, stored.eligible, stored.amount, stored.stand) == details


async def test_recently_expired_are_published_calls_ended_within_the_window(
    database: Database,
) -> None:
    """Latest deadline first; today's deadline is still open; drafts and older ones are not."""
    await _call(database, date(2026, 12, 3), "ki")
    recent = await _call(database, date(2026, 12, 2), "ki")
    earlier = await _call(database, date(2026, 9, 4), None)
    await _call(database, date(2026, 9, 3), "ki")
    await _call(database, date(2026, 11, 1), "ki", publish=False)
    async with database.session() as session:
        radar = FundingRepository(session)
        assert [c.id for c in await radar.recently_expired(TODAY, 90)] == [recent, earlier]
        assert [c.id for c in await radar.recently_expired(TODAY, 90, "ki")] == [recent]


async def test_a_call_exists_by_title_and_deadline_unless_cancelled(database: Database) -> None:
    """What ``calls import`` skips as already present."""
    draft = await _call(database, date(2027, 1, 20), None, publish=False)
    async with database.session() as session:
        radar = FundingRepository(session)
        assert await radar.exists("T", date(2027, 1, 20)) is True
        assert await radar.exists("T", date(2027, 1, 21)) is False
        await radar.cancel(draft)
        assert await radar.exists("T", date(2027, 1, 20)) is False


async def test_a_call_published_without_announcement_keeps_its_near_reminder(
    database: Database,
) -> None:
    """Nobody heard of it yet: the reminder within 14 days is left for the sweep."""
    async with database.session() as session:
        calls = FundingRepository(session)
        call = await calls.add_call(
            NewCall("T", "B", "https://e.org/", None, date(2026, 12, 10)), 1
        )
        assert await calls.publish(call.id, TODAY, 14, announced=False) is True
        [due] = await calls.reminders_due(TODAY, 14)
        assert due.id == call.id
