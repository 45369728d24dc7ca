"""Telegram errors are handled by type: wait, give up, or retry with backoff."""

import time
from collections.abc import Awaitable, Callable

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.telegram.delivery import BlockedByUserError, deliver
from bot.telegram.retry import REPLY_RETRY, RetryPolicy
from tests.telegram_standin import StandinServer

FAST = RetryPolicy(base=0.001, cap=0.01, attempts=4)


def failing(*errors: Exception) -> tuple[Callable[[], Awaitable[str]], list[int]]:
    """A call that raises ``errors`` in turn, then succeeds; also returns the call count."""
    calls = [0]

    async def call() -> str:
        calls[0] += 1
        if calls[0] <= len(errors):
            raise errors[calls[0] - 1]
        return "sent"

    return call, calls


async def test_retry_after_waits_and_then_succeeds() -> None:
    call, calls = failing(RetryAfter(0))
    assert await deliver(call, policy=FAST) == "sent"
    assert calls[0] == 2


async def test_forbidden_is_reported_as_blocked_without_retry() -> None:
    call, calls = failing(Forbidden("Forbidden: bot was blocked by the user"))
    with pytest.raises(BlockedByUserError):
        await deliver(call, policy=FAST)
    assert calls[0] == 1


async def test_bad_request_is_not_retried_although_it_is_a_network_error() -> None:
    assert issubclass(BadRequest, NetworkError)
    call, calls = failing(BadRequest("Bad Request: message is too long"))
    with pytest.raises(BadRequest):
        await deliver(call, policy=FAST)
    assert calls[0] == 1


async def test_timeouts_and_network_errors_are_retried_with_backoff() -> None:
    call, calls = failing(TimedOut(), NetworkError("connection reset"))
    assert await deliver(call, policy=FAST) == "sent"
    assert calls[0] == 3


async def test_network_errors_give_up_after_the_attempt_limit() -> None:
    call, calls = failing(*[TimedOut()] * 10)
    with pytest.raises(TimedOut):
        await deliver(call, policy=RetryPolicy(0.001, 0.01, 3))
    assert calls[0] == 3


async def test_invalid_server_responses_and_unknown_errors_are_retried() -> None:
    call, calls = failing(TelegramError("Invalid server response"), TelegramError("?"))
    assert await deliver(call, policy=FAST) == "sent"
    assert calls[0] == 3


async def test_chat_migrated_is_raised_at_once() -> None:
    call, calls = failing(ChatMigrated(-100_123))
    with pytest.raises(ChatMigrated):
        await deliver(call, policy=FAST)
    assert calls[0] == 1


def test_reply_policy_rides_out_more_than_twelve_seconds() -> None:
    assert REPLY_RETRY.patience > 12 + 5  # the outage plus slack for slow requests


async def test_reply_survives_a_twelve_second_outage_of_the_api() -> None:
    """5xx for 12 s through the stand-in: the reply arrives once, after the outage."""
    with StandinServer() as server:
        server.add_user(42)
        async with server.bot() as bot:
            server.inject_fault("server_error", 12)
            started = time.monotonic()
            await deliver(lambda: bot.send_message(42, "Antwort"))
        assert time.monotonic() - started >= 12
        assert [m.text for m in server.messages_to(42)] == ["Antwort"]
