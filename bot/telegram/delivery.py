"""Calling the Bot API for one reply through the shared send policy (``send_policy``).

``RetryAfter`` waits as told; ``Forbidden`` (the user blocked the bot) is raised as
:class:`BlockedByUserError` and not retried; ``BadRequest`` (a bug or stale state) and
``ChatMigrated`` are raised at once; timeouts, 5xx, garbage answers and unknown errors are
retried with bounded exponential backoff (:data:`~bot.telegram.retry.REPLY_RETRY` rides out a
12-second outage).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from bot.telegram.outcomes import retry_seconds
from bot.telegram.retry import REPLY_RETRY, RetryPolicy
from bot.telegram.send_policy import send

__all__ = ["BlockedByUserError", "deliver", "retry_seconds"]

T = TypeVar("T")


class BlockedByUserError(Exception):
    """The recipient blocked the bot (or deleted their account)."""


async def deliver(call: Callable[[], Awaitable[T]], *, policy: RetryPolicy = REPLY_RETRY) -> T:
    """Run ``call`` until it succeeds, retrying only what is worth retrying."""
    result = await send(lambda _chat: call(), 0, policy)
    if result.status == "blocked":
        raise BlockedByUserError(str(result.error)) from result.error
    if result.error is not None:
        raise result.error
    return cast(T, result.value)  # sent: the call's own answer
