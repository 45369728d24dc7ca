"""The durable broadcast worker: sends outbox rows at one shared pace, resumes after a crash.

```mermaid
flowchart LR
    Poll[poll: announcements 'sending'] --> Feed[feeder per announcement] --> Q[[bounded queue]]
    Q --> S1[sender 1..N] --> Bucket{{one token bucket}} --> API[sendMessage]
    API -->|ok| Sent[(sent)]
    API -->|Forbidden| Blocked[(blocked + user inactive)]
    API -->|BadRequest| Failed[(failed)]
    API -->|RetryAfter| Pause[pause every sender, retry]
    API -->|timeout / network| Retry[backoff, retry up to limit]
    Failed --> Report[admin's report: reasons] -->|Fehlgeschlagene erneut senden| Poll
```

Durability: each row is set ``sending`` in its own commit immediately before its request and
``sent``/``blocked``/``failed`` immediately after. On start-up rows still ``sending`` go back to
``pending`` and are sent again: these — at most ``concurrency`` rows, the requests in flight at
the crash, plus a row whose ``sent`` commit was lost — are the only possible duplicates. A
timed-out request that Telegram did deliver is retried too (the same window, one row at a time).
Rows are never skipped: a broadcast only ends when no row is ``pending`` or ``sending``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from functools import partial

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.dialogue.texts import Texts
from bot.features.events.announcement import thousands
from bot.features.events.render import EventRenderer
from bot.metrics import METRICS, Metrics
from bot.telegram.outcomes import Step, failure_kinds
from bot.telegram.pacing import DEFAULT_PACE, SlidingWindow, TokenBucket
from bot.telegram.retry import BROADCAST_RETRY, RetryPolicy
from bot.telegram.send_policy import InactiveUsers, SendHooks, send
from bot.telegram.sending import keyboard
from storage.db import Database
from storage.events.outbox import OutboxRepository
from storage.events.records import AnnouncementRecord, OutboxItem

logger = logging.getLogger(__name__)
REASONS_READ = 50  # distinct stored reasons read for the report (merged into a few kinds)


@dataclass(frozen=True)
class BroadcastConfig:
    """Tuning of the worker (settings ``BROADCAST_PACE``, ``BROADCAST_CONCURRENCY``)."""

    pace: float = DEFAULT_PACE
    concurrency: int = 8
    batch: int = 200
    poll_interval: float = 0.5
    progress_interval: float = 3.0
    retry: RetryPolicy = BROADCAST_RETRY


class Pacer:
    """The shared token bucket on the event loop's clock."""

    def __init__(self, pace: float) -> None:
        self._bucket = TokenBucket(rate=pace)
        self._window = SlidingWindow(limit=max(1, int(pace)))

    async def wait(self) -> None:
        """Sleep until this caller may send (evenly spaced, never more than ``pace`` a second)."""
        delay = self._bucket.reserve(time.monotonic())
        if delay > 0:
            await asyncio.sleep(delay)
        while (late := self._window.delay(time.monotonic())) > 0:  # noqa: ASYNC110 - a timed wait
            await asyncio.sleep(late)
        self._window.record(time.monotonic())

    def pause(self, seconds: float) -> None:
        """Telegram said wait: nobody sends for ``seconds``."""
        self._bucket.pause_until(time.monotonic() + seconds)


class Broadcaster:
    """Runs every announcement in status ``sending`` until its outbox is empty, then reports."""

    def __init__(
        self,
        bot: Bot,
        database: Database,
        render: EventRenderer,
        config: BroadcastConfig,
        users: InactiveUsers,
        metrics: Metrics = METRICS,
    ) -> None:
        self._bot = bot
        self._users = users
        self._counted = metrics.broadcast
        self._db = database
        self._render = render
        self._texts: Texts = render.texts
        self._config = config
        self.pacer = Pacer(config.pace)
        self._queue: asyncio.Queue[tuple[AnnouncementRecord, OutboxItem]] = asyncio.Queue(
            maxsize=2 * config.concurrency
        )
        self._in_flight: dict[int, int] = {}
        self._running: set[int] = set()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Requeue rows interrupted by a crash, then poll and send: on the leader only (no other
        worker may have rows in flight); repeatable after ``stop``."""
        async with self._db.session() as session:
            requeued = await OutboxRepository(session).requeue_in_flight()
        if requeued:
            logger.warning("resuming broadcasts: %d in-flight rows requeued", requeued)
        self._queue = asyncio.Queue(maxsize=2 * self._config.concurrency)
        self._in_flight.clear()
        self._running.clear()
        senders = [self._sender() for _ in range(self._config.concurrency)]
        self._tasks = [asyncio.create_task(coro) for coro in (self._poll(), *senders)]

    async def stop(self) -> None:
        """Cancel the worker (rows in flight stay ``sending`` and are resumed next start)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _poll(self) -> None:
        while True:
            async with self._db.session() as session:
                found = await OutboxRepository(session).sending()
            for announcement in found:
                if announcement.id not in self._running:
                    self._running.add(announcement.id)
                    self._tasks.append(asyncio.create_task(self._run(announcement)))
            await asyncio.sleep(self._config.poll_interval)

    async def _run(self, announcement: AnnouncementRecord) -> None:
        logger.info("broadcast %d: started (%d rows)", announcement.id, announcement.total)
        progress = asyncio.create_task(self._progress(announcement.id))
        try:
            while await self._still_sending(announcement.id):
                async with self._db.session() as session:
                    queued = (await OutboxRepository(session).counts(announcement.id)).pending
                self._counted.labels("queued").inc(queued)
                await self._settle(announcement.id, announcement)
                if await self._report(announcement.id):
                    break
        except Exception:
            logger.exception("broadcast %d: worker failed; retried on next poll", announcement.id)
        finally:
            self._running.discard(announcement.id)
            progress.cancel()

    async def _settle(self, announcement_id: int, announcement: AnnouncementRecord) -> None:
        """Feed until no row is ``pending`` or ``sending`` (stuck rows are requeued, bounded)."""
        while True:
            while await self._feed(announcement):
                await self._drained(announcement_id)
            await self._drained(announcement_id)
            async with self._db.session() as session:
                outbox = OutboxRepository(session)
                failed = (await outbox.counts(announcement_id)).failed
                stuck = await outbox.requeue_stuck(announcement_id, self._config.retry.attempts)
                counts = await outbox.counts(announcement_id)
            self._counted.labels("failed").inc(counts.failed - failed)  # tried too often
            if stuck:
                logger.warning("broadcast %d: %d stuck rows requeued", announcement_id, stuck)
            elif counts.pending == counts.sending == 0:
                return

    async def _feed(self, announcement: AnnouncementRecord) -> bool:
        """Queue every pending row once; ``True`` if there were any."""
        after, any_rows = 0, False
        while True:
            async with self._db.session() as session:
                batch = await OutboxRepository(session).pending(
                    announcement.id, after, self._config.batch
                )
            if not batch:
                return any_rows
            any_rows = True
            for item in batch:
                self._in_flight[announcement.id] = self._in_flight.get(announcement.id, 0) + 1
                await self._queue.put((announcement, item))
            after = batch[-1].id

    async def _drained(self, announcement_id: int) -> None:
        # A counter shared with the senders; polling it every 50 ms costs nothing.
        while self._in_flight.get(announcement_id, 0) > 0:  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    async def _sender(self) -> None:
        while True:
            announcement, item = await self._queue.get()
            try:
                await self._deliver(announcement, item)
            except Exception:
                logger.exception("broadcast %d: row %d failed", announcement.id, item.id)
            finally:
                self._in_flight[announcement.id] -= 1

    async def _deliver(self, announcement: AnnouncementRecord, item: OutboxItem) -> None:
        async with self._db.session() as session:
            if not await OutboxRepository(session).claim(item.id):
                return
        event_id = announcement.event_id
        markup = None if event_id is None else keyboard(self._render.rsvp_buttons(event_id))

        def call(chat_id: int) -> Awaitable[Message]:
            return self._bot.send_message(
                chat_id, announcement.html, parse_mode=ParseMode.HTML, reply_markup=markup
            )

        hooks = SendHooks(self.pacer.wait, self._flood, partial(self._note_retry, item))
        result = await send(
            call,
            item.chat_id,
            self._config.retry,
            hooks,
            attempt=item.attempts + 1,
            follow_migration=True,
        )
        await self._finish(item, result.status, result.reason)

    async def _flood(self, seconds: float) -> None:
        logger.warning("flood control: pausing all broadcasts %.1f s", seconds)
        self.pacer.pause(seconds)

    async def _note_retry(self, item: OutboxItem, step: Step, chat_id: int, attempt: int) -> None:
        async with self._db.session() as session:
            outbox = OutboxRepository(session)
            await outbox.note_retry(item.id, step.reason)
            if step.action == "resend" and step.chat_id is not None:
                await outbox.retarget(item.id, chat_id, step.chat_id)

    async def _finish(self, item: OutboxItem, status: str, error: str | None = None) -> None:
        async with self._db.session() as session:
            await OutboxRepository(session).finish(item.id, status, error)
        if status == "blocked":
            await self._users.mark_inactive(item.telegram_user_id)
        self._counted.labels(status).inc()

    async def _progress(self, announcement_id: int) -> None:
        shown = -1
        while True:
            await asyncio.sleep(self._config.progress_interval)
            shown = await self._show_progress(announcement_id, shown)

    async def _show_progress(self, announcement_id: int, shown: int) -> int:
        async with self._db.session() as session:
            outbox = OutboxRepository(session)
            announcement = await outbox.get(announcement_id)
            counts = await outbox.counts(announcement_id)
        if announcement is None or announcement.control_message_id is None or counts.done == shown:
            return shown
        html = self._texts.format(
            "events_sending", done=thousands(counts.done), total=thousands(counts.total)
        )
        await self._edit(announcement.admin_chat_id, announcement.control_message_id, html)
        return counts.done

    async def _edit(self, chat_id: int, message_id: int, html: str) -> None:
        await self.pacer.wait()
        try:
            await self._bot.edit_message_text(
                html, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML
            )
        except TelegramError as error:  # progress is best effort
            logger.info("progress edit skipped: %s", error)

    async def _still_sending(self, announcement_id: int) -> bool:
        """A poll may have read the broadcast just before it was finished: only a broadcast
        still ``sending`` is worked on (and reported) again."""
        async with self._db.session() as session:
            found = await OutboxRepository(session).get(announcement_id)
        return found is not None and found.status == "sending"

    async def _report(self, announcement_id: int) -> bool:
        """Send the report and mark the broadcast done; ``False`` if rows were queued again
        meanwhile (the next pass reports them)."""
        async with self._db.session() as session:
            outbox = OutboxRepository(session)
            announcement = await outbox.get(announcement_id)
            counts = await outbox.counts(announcement_id)
            stored = await outbox.failure_reasons(announcement_id, REASONS_READ)
            title = await outbox.title(announcement_id)
        if announcement is None:
            return True
        await self._show_progress(announcement_id, -1)
        reasons = failure_kinds(stored, counts.failed)
        report = self._render.report(announcement_id, title, counts, reasons)
        await self.pacer.wait()
        await self._bot.send_message(
            announcement.admin_chat_id,
            report.html,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(report.buttons),
        )
        async with self._db.session() as session:
            finished = await OutboxRepository(session).finish_announcement(announcement_id)
        logger.info("broadcast %d: reported %s", announcement_id, counts)
        return finished
