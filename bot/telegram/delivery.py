"""Calling the Bot API with Telegram's errors handled by type.

``RetryAfter`` waits as told; ``Forbidden`` (the user blocked the bot) is reported to the caller
and not retried; ``BadRequest`` is a bug or stale state and is not retried either — it must be
caught before ``NetworkError``, its base class; timeouts and other network errors are retried
with exponential backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.retry import BASE_BACKOFF, MAX_ATTEMPTS, backoff

logger = logging.getLogger(__name__)

T = TypeVar("T")


class BlockedByUserError(Exception):
    """The recipient blocked the bot (or deleted their account)."""


def retry_seconds(error: RetryAfter) -> float:
    """``retry_after`` as seconds, whether PTB gives an int or a timedelta."""
    value: object = error.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


async def deliver(call: Callable[[], Awaitable[T]], *, attempts: int = MAX_ATTEMPTS) -> T:
    """Run ``call`` until it succeeds, retrying only what is worth retrying."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as error:
            logger.warning("flood control: waiting %.1f s", retry_seconds(error))
            await asyncio.sleep(retry_seconds(error))
        except Forbidden as error:
            raise BlockedByUserError(str(error)) from error
        except BadRequest:
            raise
        except (TimedOut, NetworkError) as error:
            if attempt == attempts:
                raise
            delay = backoff(attempt, BASE_BACKOFF)
            logger.warning("network error (%s), retry %d in %.1f s", error, attempt, delay)
            await asyncio.sleep(delay)
    raise TimedOut(f"gave up after {attempts} attempts")
