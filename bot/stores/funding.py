"""The Förderradar's storage, on ``storage`` (one short transaction per call)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.features.funding.calls import EXPIRED_DAYS, REMINDER_DAYS, CallDraft
from storage.db import Database
from storage.events.outbox import OutboxRepository
from storage.funding.repository import (
    FundingCallRecord,
    FundingRepository,
    NewCall,
    radar_recipients,
)


@dataclass(frozen=True)
class Recorded:
    """What :meth:`FundingStore.record` did: calls added, duplicates skipped, messages queued."""

    added: int
    skipped: int
    queued: int


class DatabaseFundingStore:
    """Calls, their announcements and reminders (through the outbox), and radar subscriptions."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def draft(self, draft: CallDraft, html: str, admin_chat_id: int) -> tuple[int, int]:
        """Store a draft call and its draft announcement: the announcement id and the number
        of subscribers it would reach now."""
        new = new_call(draft)
        async with self._db.session() as session:
            call = await FundingRepository(session).add_call(new, admin_chat_id)
            outbox = OutboxRepository(session)
            announcement = await outbox.create(None, html, admin_chat_id, funding_call_id=call.id)
            return announcement.id, await FundingRepository(session).count_recipients(draft.topic)

    async def publish(
        self, announcement_id: int, today: date, control_message_id: int | None = None
    ) -> int | None:
        """Publish the call and write its outbox rows (and the message that shows the
        progress), at once: their number, ``None`` unless a draft."""
        async with self._db.session() as session:
            outbox = OutboxRepository(session)
            found = await outbox.get(announcement_id)
            if found is None or found.funding_call_id is None:
                return None
            funding = FundingRepository(session)
            call = await funding.get_call(found.funding_call_id, published_only=False)
            if call is None or call.status != "draft":
                return None
            total = await outbox.start(announcement_id, radar_recipients(call.topic))
            if total is not None:  # the announcement was the draft: so is its call
                await funding.publish(call.id, today, REMINDER_DAYS)
            if total is not None and control_message_id is not None:
                await outbox.set_control_message(announcement_id, control_message_id)
            return total

    async def cancel(self, announcement_id: int) -> bool:
        """Cancel a draft call and its announcement; ``False`` if it was no draft."""
        async with self._db.session() as session:
            found = await OutboxRepository(session).cancel_draft(announcement_id, funding_call=True)
            if found is None or found.funding_call_id is None:
                return False
            return await FundingRepository(session).cancel(found.funding_call_id)

    async def open_calls(self, today: date, topic: str | None) -> list[FundingCallRecord]:
        """Published calls not past their deadline, nearest deadline first."""
        async with self._db.session() as session:
            return await FundingRepository(session).open_calls(today, topic)

    async def recently_expired(self, today: date, topic: str | None) -> list[FundingCallRecord]:
        """Published calls that ended within the last 90 days, latest deadline first."""
        async with self._db.session() as session:
            return await FundingRepository(session).recently_expired(today, EXPIRED_DAYS, topic)

    async def all_calls(self) -> list[FundingCallRecord]:
        """Every call in any status, by deadline."""
        async with self._db.session() as session:
            return await FundingRepository(session).all_calls()

    async def record(
        self,
        calls: Sequence[tuple[CallDraft, str]],
        admin_chat_id: int,
        today: date,
        *,
        announce: bool,
    ) -> Recorded:
        """Publish valid calls (each with its announcement's HTML) in one transaction, skipping
        those already recorded (same title and deadline); with ``announce`` each new call is
        also queued to its radar subscribers, as after "Jetzt senden"."""
        added = skipped = queued = 0
        async with self._db.session() as session:
            funding, outbox = FundingRepository(session), OutboxRepository(session)
            for draft, html in calls:
                if await funding.exists(draft.title, draft.deadline):
                    skipped += 1
                    continue
                call = await funding.add_call(new_call(draft), admin_chat_id)
                await funding.publish(call.id, today, REMINDER_DAYS, announced=announce)
                added += 1
                if announce:
                    announcement = await outbox.create(None, html, admin_chat_id, call.id)
                    queued += await outbox.start(announcement.id, radar_recipients(call.topic)) or 0
        return Recorded(added, skipped, queued)

    async def reminders_due(self, today: date) -> list[FundingCallRecord]:
        """Calls whose deadline reminder is due and not yet claimed."""
        async with self._db.session() as session:
            return await FundingRepository(session).reminders_due(today, REMINDER_DAYS)

    async def queue_reminder(self, call: FundingCallRecord, html: str) -> int | None:
        """Claim the call's reminder and write its outbox rows in one transaction: their
        number, or ``None`` if it was claimed before (so a restart never queues it again)."""
        async with self._db.session() as session:
            if not await FundingRepository(session).claim_reminder(call.id):
                return None
            outbox = OutboxRepository(session)
            announcement = await outbox.create(None, html, call.admin_chat_id, call.id)
            return await outbox.start(announcement.id, radar_recipients(call.topic))

    async def subscribe(self, user_id: int, chat_id: int, topic: str | None) -> bool:
        """Follow the radar; ``True`` if that changed anything."""
        async with self._db.session() as session:
            return await FundingRepository(session).subscribe(user_id, chat_id, topic)

    async def unsubscribe(self, user_id: int) -> bool:
        """Stop following the radar; ``True`` if the user followed it."""
        async with self._db.session() as session:
            return await FundingRepository(session).unsubscribe(user_id)

    async def subscription(self, user_id: int) -> tuple[bool, str | None]:
        """Whether the user follows the radar, and for which topic."""
        async with self._db.session() as session:
            return await FundingRepository(session).subscription(user_id)


def new_call(draft: CallDraft) -> NewCall:
    """What storage keeps of a valid call."""
    fields = (draft.title, draft.description, draft.url, draft.topic, draft.deadline)
    return NewCall(*fields, draft.funder, draft.eligible, draft.amount, draft.stand)
