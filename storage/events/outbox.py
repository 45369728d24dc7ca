"""Announcements and their durable outbox (one row per announcement and recipient).

Rows move ``pending → sending → sent | blocked | failed``. A row is set to ``sending`` in its
own short transaction right before its message is handed to Telegram and finished right after,
so after a crash only rows still in ``sending`` are uncertain; :meth:`requeue_in_flight` puts
them back to ``pending`` (they may have arrived: the only possible duplicates), and
:meth:`requeue_stuck` does the same for one broadcast while the worker runs. ``attempts``
counts every try of a row (bounded by the worker); ``failed`` rows keep their reason in
``last_error`` and an admin may queue them again (:meth:`resend_failed`).

Only the leading replica sends (``storage.leader``). :meth:`claim` is a compare-and-set
(``UPDATE … WHERE status = 'pending'``), so not even two workers could send one row twice: on
PostgreSQL the second update waits for the first one's row lock, then matches nothing. Claiming
batches with ``FOR UPDATE SKIP LOCKED`` would only pay off with several concurrent senders.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows
from storage.events.models import ERROR_MAX, Announcement, Event, OutboxRow
from storage.events.records import AnnouncementRecord, OutboxCounts, OutboxItem
from storage.events.repository import recipients_query
from storage.funding.models import FundingCall
from storage.models import User
from storage.types import Clock, UTCDateTime, utcnow

#: ``last_error`` of a row that stayed ``sending`` too often (the worker died mid-send).
INTERRUPTED = "interrupted too often"

_ANNOUNCEMENT_COLUMNS = (
    Announcement.id,
    Announcement.event_id,
    Announcement.html,
    Announcement.admin_chat_id,
    Announcement.control_message_id,
    Announcement.status,
    Announcement.total,
    Announcement.funding_call_id,
)


def _announcement(row: Any) -> AnnouncementRecord:
    return AnnouncementRecord(*tuple(row))


class OutboxRepository:
    """Announcements, and the outbox rows the broadcast worker consumes."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def create(
        self,
        event_id: int | None,
        html: str,
        admin_chat_id: int,
        funding_call_id: int | None = None,
    ) -> AnnouncementRecord:
        """A draft announcement of an event or a funding call (nothing is queued until
        :meth:`start`)."""
        row = Announcement(
            event_id=event_id,
            funding_call_id=funding_call_id,
            html=html,
            admin_chat_id=admin_chat_id,
            status="draft",
            total=0,
            created_at=self._clock(),
        )
        self._session.add(row)
        await self._session.flush()
        return AnnouncementRecord(
            row.id, event_id, html, admin_chat_id, None, "draft", 0, funding_call_id
        )

    async def get(self, announcement_id: int) -> AnnouncementRecord | None:
        """One announcement, or ``None``."""
        query = select(*_ANNOUNCEMENT_COLUMNS).where(Announcement.id == announcement_id)
        row = (await self._session.execute(query)).one_or_none()
        return None if row is None else _announcement(row)

    async def title(self, announcement_id: int) -> str:
        """The title of the announced event or funding call ("" if it is gone)."""
        query = (
            select(func.coalesce(Event.title, FundingCall.title, ""))
            .select_from(Announcement)
            .outerjoin(Event, Event.id == Announcement.event_id)
            .outerjoin(FundingCall, FundingCall.id == Announcement.funding_call_id)
            .where(Announcement.id == announcement_id)
        )
        return str(await self._session.scalar(query) or "")

    async def sending(self) -> list[AnnouncementRecord]:
        """Announcements being broadcast (also those interrupted by a crash), oldest first."""
        query = select(*_ANNOUNCEMENT_COLUMNS).where(Announcement.status == "sending")
        rows = await self._session.execute(query.order_by(Announcement.id))
        return [_announcement(row) for row in rows]

    async def start(
        self, announcement_id: int, recipients: Select[int, int] | None = None
    ) -> int | None:
        """Queue a draft: write one pending row per current recipient (``(users.id, chat_id)``,
        by default the event subscribers); ``None`` if not a draft."""
        claim = update(Announcement).where(
            Announcement.id == announcement_id, Announcement.status == "draft"
        )
        if await affected_rows(self._session, claim.values(status="sending")) == 0:
            return None
        now = literal(self._clock(), UTCDateTime())
        chosen = (recipients_query() if recipients is None else recipients).subquery()
        source = select(
            literal(announcement_id), chosen.c.id, chosen.c.chat_id,
            literal("pending"), literal(0), now,
        )  # fmt: skip
        columns = ["announcement_id", "user_id", "chat_id", "status", "attempts", "updated_at"]
        await self._session.execute(insert(OutboxRow).from_select(columns, source))
        total = await self._count(announcement_id)
        await self._session.execute(
            update(Announcement).where(Announcement.id == announcement_id).values(total=total)
        )
        return total

    async def _count(self, announcement_id: int) -> int:
        query = select(func.count()).where(OutboxRow.announcement_id == announcement_id)
        return int(await self._session.scalar(query) or 0)

    async def cancel(self, announcement_id: int) -> bool:
        """Cancel a draft; ``False`` if it was already sent or cancelled."""
        stmt = update(Announcement).where(
            Announcement.id == announcement_id, Announcement.status == "draft"
        )
        return await affected_rows(self._session, stmt.values(status="cancelled")) > 0

    async def cancel_draft(
        self, announcement_id: int, *, funding_call: bool = False
    ) -> AnnouncementRecord | None:
        """Cancel a draft announcement of an event (or, with ``funding_call``, of a call): the
        announcement as it was, ``None`` if there was no such draft."""
        found = await self.get(announcement_id)
        if found is None:
            return None
        owner = found.funding_call_id if funding_call else found.event_id
        if owner is None or not await self.cancel(announcement_id):
            return None
        return found

    async def set_control_message(self, announcement_id: int, message_id: int) -> None:
        """Remember the admin's message that shows the progress."""
        stmt = update(Announcement).where(Announcement.id == announcement_id)
        await self._session.execute(stmt.values(control_message_id=message_id))

    async def finish_announcement(self, announcement_id: int) -> bool:
        """Mark the broadcast done (after the report went out); ``False`` if it already was, or
        if rows were queued again meanwhile (an admin's resend), so it is not done yet."""
        open_rows = select(OutboxRow.id).where(
            OutboxRow.announcement_id == announcement_id,
            OutboxRow.status.in_(("pending", "sending")),
        )
        stmt = update(Announcement).where(
            Announcement.id == announcement_id,
            Announcement.status == "sending",
            ~open_rows.exists(),
        )
        values = {"status": "done", "finished_at": self._clock()}
        return await affected_rows(self._session, stmt.values(**values)) > 0

    async def pending(self, announcement_id: int, after_id: int, limit: int) -> list[OutboxItem]:
        """Pending rows of an announcement with ``id > after_id``, in id order."""
        query = (
            select(
                OutboxRow.id,
                OutboxRow.announcement_id,
                User.telegram_user_id,
                OutboxRow.chat_id,
                OutboxRow.attempts,
            )
            .join(User, User.id == OutboxRow.user_id)
            .where(
                OutboxRow.announcement_id == announcement_id,
                OutboxRow.status == "pending",
                OutboxRow.id > after_id,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [OutboxItem(*row) for row in await self._session.execute(query)]

    async def claim(self, row_id: int) -> bool:
        """``pending → sending`` right before the send; ``False`` if someone else took it."""
        stmt = update(OutboxRow).where(OutboxRow.id == row_id, OutboxRow.status == "pending")
        values = {
            "status": "sending",
            "attempts": OutboxRow.attempts + 1,
            "updated_at": self._clock(),
        }
        return await affected_rows(self._session, stmt.values(**values)) > 0

    async def finish(self, row_id: int, status: str, error: str | None = None) -> None:
        """Record a send's outcome: ``sent``, ``blocked``, ``failed`` or back to ``pending``."""
        values: dict[str, Any] = {"status": status, "updated_at": self._clock()}
        if error is not None:
            values["last_error"] = error[:ERROR_MAX]
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.id == row_id).values(**values)
        )

    async def note_retry(self, row_id: int, error: str) -> None:
        """One more try of a row that stays ``sending`` (a transient error, the reason kept)."""
        values = {
            "attempts": OutboxRow.attempts + 1,
            "last_error": error[:ERROR_MAX],
            "updated_at": self._clock(),
        }
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.id == row_id).values(**values)
        )

    async def retarget(self, row_id: int, old_chat_id: int, new_chat_id: int) -> None:
        """The chat was migrated (group → supergroup): send there, and remember it for the user."""
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.id == row_id).values(chat_id=new_chat_id)
        )
        await self._session.execute(
            update(User).where(User.chat_id == old_chat_id).values(chat_id=new_chat_id)
        )

    async def requeue_stuck(self, announcement_id: int, max_attempts: int) -> int:
        """Rows of a broadcast left ``sending`` with no sender: back to ``pending``, or ``failed``
        once they were tried ``max_attempts`` times; how many were touched."""
        stuck = update(OutboxRow).where(
            OutboxRow.announcement_id == announcement_id, OutboxRow.status == "sending"
        )
        values = {
            "status": "failed",
            "last_error": INTERRUPTED,
            "updated_at": self._clock(),
        }
        failed = await affected_rows(
            self._session, stuck.where(OutboxRow.attempts >= max_attempts).values(**values)
        )
        return failed + await affected_rows(self._session, stuck.values(status="pending"))

    async def resend_failed(self, announcement_id: int) -> int | None:
        """Queue a finished broadcast's failed rows again, how many (with none it stays done);
        ``None`` unless it is done."""
        done = await self.get(announcement_id)
        if done is None or done.status != "done":
            return None
        if (await self.counts(announcement_id)).failed == 0:
            return 0
        reopen = update(Announcement).where(
            Announcement.id == announcement_id, Announcement.status == "done"
        )
        if await affected_rows(self._session, reopen.values(status="sending")) == 0:
            return None
        rows = update(OutboxRow).where(
            OutboxRow.announcement_id == announcement_id, OutboxRow.status == "failed"
        )
        values = {"status": "pending", "attempts": 0, "updated_at": self._clock()}
        return await affected_rows(self._session, rows.values(**values))

    async def failure_reasons(self, announcement_id: int, limit: int = 5) -> list[tuple[str, int]]:
        """The most frequent reasons of ``failed`` rows, with their counts."""
        reason = func.coalesce(OutboxRow.last_error, "")
        query = (
            select(reason, func.count())
            .where(OutboxRow.announcement_id == announcement_id, OutboxRow.status == "failed")
            .group_by(reason)
            .order_by(func.count().desc(), reason)
            .limit(limit)
        )
        return [(str(text), int(n)) for text, n in await self._session.execute(query)]

    async def requeue_in_flight(self) -> int:
        """After a crash: rows left in ``sending`` go back to ``pending``; how many."""
        stmt = update(OutboxRow).where(OutboxRow.status == "sending")
        return await affected_rows(self._session, stmt.values(status="pending"))

    async def counts(self, announcement_id: int) -> OutboxCounts:
        """Rows per status."""
        query = (
            select(OutboxRow.status, func.count())
            .where(OutboxRow.announcement_id == announcement_id)
            .group_by(OutboxRow.status)
        )
        found = {str(status): int(n) for status, n in await self._session.execute(query)}
        return OutboxCounts(**found)
