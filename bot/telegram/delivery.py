"""Calling the Bot API for one reply, with every Telegram error classified (``outcomes``).

``RetryAfter`` waits as told; ``Forbidden`` (the user blocked the bot) is reported to the caller
and not retried; ``BadRequest`` (a bug or stale state) and ``ChatMigrated`` are raised at once;
timeouts, 5xx, garbage answers and unknown errors are retried with bounded exponential backoff
(:data:`~bot.telegram.retry.REPLY_RETRY` rides out a 12-second outage).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import TelegramError

from bot.telegram.outcomes import classify, retry_seconds
from bot.telegram.retry import REPLY_RETRY, RetryPolicy

__all__ = ["BlockedByUserError", "deliver", "retry_seconds"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class BlockedByUserError(Exception):
    """The recipient blocked the bot (or deleted their account)."""


async def deliver(call: Callable[[], Awaitable[T]], *, policy: RetryPolicy = REPLY_RETRY) -> T:
    """Run ``call`` until it succeeds, retrying only what is worth retrying."""
    attempt = 1
    while True:
        try:
            return await call()
        except TelegramError as error:
            step = classify(error, attempt, policy, migrated=True)
            if step.action == "blocked":
                raise BlockedByUserError(str(error)) from error
            if step.action == "failed":
                raise
            if step.action == "wait":
                logger.warning("flood control: waiting %.1f s", step.seconds)
            else:
                logger.warning("%s, retry %d in %.1f s", step.reason, attempt, step.seconds)
                attempt += 1
            await asyncio.sleep(step.seconds)
