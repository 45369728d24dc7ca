"""The one Telegram send policy: call, classify the error, wait or retry, return one outcome.

Used by replies (``delivery``), the broadcast and the reminder workers. Every Telegram error is
classified by :func:`~bot.telegram.outcomes.classify`: ``RetryAfter`` waits as told (the
``flood`` hook: a reply sleeps, the broadcast pauses every sender); ``Forbidden`` ends as
``blocked``; ``BadRequest`` ends as ``failed``; ``ChatMigrated`` is followed once when the caller
allows it; timeouts, 5xx, garbage answers and unknown errors are retried with the caller's
:class:`~bot.telegram.retry.RetryPolicy`. ``pace`` runs before every try (the shared bucket),
``retrying`` before every retry (a reply logs it, the broadcast notes it in its outbox).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from telegram.error import TelegramError

from bot.telegram.outcomes import Step, classify
from bot.telegram.retry import RetryPolicy

__all__ = ["InactiveUsers", "SendHooks", "SendResult", "send"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
Status = Literal["sent", "blocked", "failed"]


class InactiveUsers(Protocol):
    """The one way to record that a user blocked the bot (``UserDirectory``: row and cache)."""

    async def mark_inactive(self, user_id: int) -> None:
        """No more replies, reminders or announcements to ``user_id``."""


async def _no_pace() -> None:
    return None


async def _sleep_flood(seconds: float) -> None:
    logger.warning("flood control: waiting %.1f s", seconds)
    await asyncio.sleep(seconds)


async def _log_retry(step: Step, chat_id: int, attempt: int) -> None:
    logger.warning("%s, retry %d in %.1f s", step.reason, attempt, step.seconds)


@dataclass(frozen=True)
class SendHooks:
    """What the caller adds: pacing before each try, the flood wait, a note before a retry."""

    pace: Callable[[], Awaitable[None]] = _no_pace
    flood: Callable[[float], Awaitable[None]] = _sleep_flood
    retrying: Callable[[Step, int, int], Awaitable[None]] = _log_retry


DIRECT = SendHooks()


@dataclass(frozen=True)
class SendResult(Generic[T]):
    """One outcome: ``sent`` (with the API's ``value``), ``blocked`` or ``failed`` (``reason``,
    ``error``); ``chat_id`` is where it went last, ``migrated`` if that is a group's new id."""

    status: Status
    chat_id: int
    value: T | None = None
    reason: str | None = None
    error: TelegramError | None = None
    migrated: bool = False


async def send(
    call: Callable[[int], Awaitable[T]],
    chat_id: int,
    policy: RetryPolicy,
    hooks: SendHooks = DIRECT,
    *,
    attempt: int = 1,
    follow_migration: bool = False,
) -> SendResult[T]:
    """Run ``call(chat_id)`` until it succeeds or the policy ends it; ``attempt``: this try's
    number (a resumed broadcast row continues its count)."""
    moved = False
    while True:
        await hooks.pace()
        try:
            value = await call(chat_id)
        except TelegramError as error:
            step = classify(error, attempt, policy, migrated=moved or not follow_migration)
            if step.action in ("blocked", "failed"):
                return SendResult(step.action, chat_id, None, step.reason, error, moved)
        else:
            return SendResult("sent", chat_id, value, migrated=moved)
        if step.action == "wait":
            await hooks.flood(step.seconds)
            continue
        await hooks.retrying(step, chat_id, attempt)
        attempt += 1
        if step.action == "resend" and step.chat_id is not None:
            chat_id, moved = step.chat_id, True
        else:
            await asyncio.sleep(step.seconds)
