"""The replica's leadership loop: once-only work starts when it leads and stops when it loses.

```mermaid
stateDiagram-v2
    [*] --> Follower
    Follower --> Leader: try_acquire() (every interval)
    Leader --> Follower: check() fails (lock's connection died) / lead() failed
    Leader --> [*]: stop(): follow(), release()
```
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from storage.leader import Leadership

logger = logging.getLogger(__name__)

RETRY_INTERVAL = 2.0
"""Seconds between a follower's attempts (and a leader's checks of its lock)."""

Duty = Callable[[], Awaitable[None]]


class LeaderLoop:
    """Runs ``lead`` when this replica becomes leader and ``follow`` when it stops leading."""

    def __init__(
        self,
        leadership: Leadership,
        lead: Duty,
        follow: Duty,
        interval: float = RETRY_INTERVAL,
    ) -> None:
        self._leadership = leadership
        self._lead = lead
        self._follow = follow
        self._interval = interval
        self._leading = False
        self._task: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        """Whether the once-only work runs here."""
        return self._leading

    async def start(self) -> None:
        """Try once now (so a lone replica leads at once), then keep trying in the background."""
        await self.step()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop the loop and the work, and give up the lock for the next replica."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._leading:
            logger.info("stopping: broadcasts, reminders and purge go to the next leader")
            self._leading = False
            await self._follow()
        await self._leadership.release()

    async def step(self) -> None:
        """One round: a follower tries to lead, a leader checks that it still does."""
        if not self._leading:
            if await self._leadership.try_acquire():
                await self._promote()
        elif not await self._leadership.check():
            await self._demote()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.step()
            except Exception:
                logger.exception("leadership round failed; retrying")

    async def _promote(self) -> None:
        logger.info("this replica leads: starting broadcasts, reminders and purge")
        self._leading = True
        try:
            await self._lead()
        except Exception:
            logger.exception("could not start the once-only work; giving up leadership")
            await self._demote()
            await self._leadership.release()

    async def _demote(self) -> None:
        logger.warning("this replica no longer leads: stopping broadcasts, reminders and purge")
        self._leading = False
        await self._follow()
