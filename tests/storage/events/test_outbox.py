"""Event storage on both backends: subscriptions, RSVPs that never double-count, the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Database, UserRepository
from storage.events.outbox import OutboxRepository
from storage.events.records import OutboxCounts
from storage.events.repository import EventRepository

STARTS = datetime(2030, 5, 4, 16, 0, tzinfo=UTC)


async def _event_with_announcement(database: Database) -> tuple[int, int]:
    async with database.session() as session:
        event = await EventRepository(session).add_event("T", STARTS, "Ort", "B", (1440, 60))
        announcement = await OutboxRepository(session).create(event.id, "<b>T</b>", 1)
    return event.id, announcement.id


async def _subscribe(database: Database, *users: int) -> None:
    async with database.session() as session:
        for user in users:
            await EventRepository(session).set_subscription(user, user, True)


async def test_subscription_is_opt_in_and_can_be_withdrawn(database: Database) -> None:
    async with database.session() as session:
        events = EventRepository(session)
        assert not await events.is_subscribed(5)
        assert await events.set_subscription(5, 5, True)
        assert not await events.set_subscription(5, 5, True)
        assert await events.count_recipients() == 1
        assert await events.set_subscription(5, 5, False)
        assert await events.count_recipients() == 0


async def test_pressing_rsvp_again_changes_the_answer_and_never_double_counts(
    database: Database,
) -> None:
    event_id, _ = await _event_with_announcement(database)
    async with database.session() as session:
        events = EventRepository(session)
        for attending in (True, True, False, True):
            await events.set_rsvp(7, 7, event_id, attending)
        await events.set_rsvp(8, 8, event_id, False)
        counts = await events.counts(event_id)
        assert (counts.yes, counts.no) == (1, 1)
        assert await events.rsvps_of(7) == {event_id: True}
        assert await events.attending_chats(event_id) == [(7, 7)]


async def test_reminder_recipients_are_active_users_who_said_yes(database: Database) -> None:
    event_id, _ = await _event_with_announcement(database)
    async with database.session() as session:
        events = EventRepository(session)
        for user, attending in ((1, True), (2, True), (3, False), (4, True)):
            await events.set_rsvp(user, 100 + user, event_id, attending)
        await events.set_subscription(5, 105, True)  # subscribed, never answered
        await UserRepository(session).mark_inactive(4)  # blocked the bot
        assert await events.attending_chats(event_id) == [(1, 101), (2, 102)]


async def test_start_writes_one_pending_row_per_live_subscriber_once(database: Database) -> None:
    await _subscribe(database, 1, 2, 3, 4)
    async with database.session() as session:
        await UserRepository(session).mark_inactive(3)
        await EventRepository(session).set_subscription(4, 4, False)
    _, announcement_id = await _event_with_announcement(database)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        assert await outbox.start(announcement_id) == 2
        assert await outbox.start(announcement_id) is None
        assert await outbox.counts(announcement_id) == OutboxCounts(pending=2)
        assert [a.id for a in await outbox.sending()] == [announcement_id]


async def test_rows_move_through_states_and_in_flight_ones_are_requeued(
    database: Database,
) -> None:
    await _subscribe(database, 1, 2, 3)
    _, announcement_id = await _event_with_announcement(database)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        await outbox.start(announcement_id)
        first, second, third = await outbox.pending(announcement_id, 0, 10)
        assert await outbox.claim(first.id)
        assert not await outbox.claim(first.id)
        await outbox.finish(first.id, "sent")
        assert await outbox.claim(second.id)
        await outbox.finish(second.id, "failed", "x" * 500)
        assert await outbox.claim(third.id)  # "crash" while in flight
    async with database.session() as session:
        outbox = OutboxRepository(session)
        assert await outbox.requeue_in_flight() == 1
        counts = await outbox.counts(announcement_id)
        assert counts == OutboxCounts(pending=1, sent=1, failed=1)
        [again] = await outbox.pending(announcement_id, 0, 10)
        assert again.attempts == 1
        assert not await outbox.finish_announcement(announcement_id)  # a row still pending
        await outbox.finish(again.id, "sent")
        assert await outbox.finish_announcement(announcement_id)
        assert not await outbox.finish_announcement(announcement_id)


async def test_cancel_only_affects_drafts(database: Database) -> None:
    _, announcement_id = await _event_with_announcement(database)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        assert await outbox.cancel(announcement_id)
        assert not await outbox.cancel(announcement_id)
        assert await outbox.start(announcement_id) is None


async def test_reminder_is_claimed_only_once(database: Database) -> None:
    event_id, _ = await _event_with_announcement(database)
    async with database.session() as session:
        events = EventRepository(session)
        assert await events.claim_reminder(event_id, 60)
        assert not await events.claim_reminder(event_id, 60)
        assert await events.sent_reminders(event_id) == {60}


async def test_deleting_a_user_removes_their_subscription_and_rsvps(database: Database) -> None:
    event_id, _ = await _event_with_announcement(database)
    await _subscribe(database, 9)
    async with database.session() as session:
        await EventRepository(session).set_rsvp(9, 9, event_id, True)
        await UserRepository(session).delete(9)
    async with database.session() as session:
        events = EventRepository(session)
        assert not await events.is_subscribed(9)
        assert (await events.counts(event_id)).yes == 0


async def test_ids_of_a_deleted_event_and_its_announcement_are_never_reused(
    database: Database,
) -> None:
    """A cancelled draft's ids stay taken, so reminders and buttons naming them find nothing."""
    event_id, announcement_id = await _event_with_announcement(database)
    async with database.session() as session:
        await EventRepository(session).delete_event(event_id)
    again_event, again_announcement = await _event_with_announcement(database)
    assert again_event > event_id
    assert again_announcement > announcement_id


async def test_stuck_rows_are_requeued_and_fail_after_the_attempt_cap(database: Database) -> None:
    """Rows left ``sending`` go back to ``pending``; tried too often, they fail with a reason."""
    _, announcement_id = await _event_with_announcement(database)
    await _subscribe(database, 1, 2)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        await outbox.start(announcement_id)
        first, second = await outbox.pending(announcement_id, 0, 10)
        await outbox.claim(first.id)
        await outbox.claim(second.id)
        await outbox.note_retry(second.id, "NetworkError: Bad Gateway")
        assert await outbox.requeue_stuck(announcement_id, max_attempts=2) == 2
        counts = await outbox.counts(announcement_id)
        assert (counts.pending, counts.failed, counts.sending) == (1, 1, 0)
        assert await outbox.failure_reasons(announcement_id) == [("interrupted too often", 1)]


async def test_failed_rows_are_queued_again_only_after_the_broadcast_is_done(
    database: Database,
) -> None:
    """``resend_failed`` reopens a done broadcast and puts its failed rows back to pending; a
    late report of the first round cannot mark it done again."""
    _, announcement_id = await _event_with_announcement(database)
    await _subscribe(database, 1, 2)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        await outbox.start(announcement_id)
        first, second = await outbox.pending(announcement_id, 0, 10)
        await outbox.finish(first.id, "sent")
        await outbox.finish(second.id, "failed", "TelegramError: Invalid server response")
        assert await outbox.resend_failed(announcement_id) is None  # still sending
        await outbox.finish_announcement(announcement_id)
        assert await outbox.resend_failed(announcement_id) == 1
        # the first round's late report cannot mark it done while the row is queued again
        assert not await outbox.finish_announcement(announcement_id)
        counts = await outbox.counts(announcement_id)
        assert (counts.sent, counts.pending, counts.failed) == (1, 1, 0)
        assert (await outbox.get(announcement_id)).status == "sending"  # type: ignore[union-attr]


async def test_resend_without_failed_rows_leaves_the_broadcast_done(database: Database) -> None:
    """Nothing to queue again: ``0``, and the worker is not woken for an empty round."""
    _, announcement_id = await _event_with_announcement(database)
    await _subscribe(database, 1)
    async with database.session() as session:
        outbox = OutboxRepository(session)
        await outbox.start(announcement_id)
        [row] = await outbox.pending(announcement_id, 0, 10)
        await outbox.finish(row.id, "sent")
        await outbox.finish_announcement(announcement_id)
        assert await outbox.resend_failed(announcement_id) == 0
        assert (await outbox.get(announcement_id)).status == "done"  # type: ignore[union-attr]
