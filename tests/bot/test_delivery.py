"""Telegram errors are handled by type: wait, give up, or retry with backoff."""

from collections.abc import Awaitable, Callable

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram import delivery
from bot.telegram.delivery import BlockedByUserError, deliver


def failing(*errors: Exception) -> tuple[Callable[[], Awaitable[str]], list[int]]:
    """A call that raises ``errors`` in turn, then succeeds; also returns the call count."""
    calls = [0]

    async def call() -> str:
        calls[0] += 1
        if calls[0] <= len(errors):
            raise errors[calls[0] - 1]
        return "sent"

    return call, calls


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "BASE_BACKOFF", 0.001)


async def test_retry_after_waits_and_then_succeeds() -> None:
    call, calls = failing(RetryAfter(0))
    assert await deliver(call) == "sent"
    assert calls[0] == 2


async def test_forbidden_is_reported_as_blocked_without_retry() -> None:
    call, calls = failing(Forbidden("Forbidden: bot was blocked by the user"))
    with pytest.raises(BlockedByUserError):
        await deliver(call)
    assert calls[0] == 1


async def test_bad_request_is_not_retried_although_it_is_a_network_error() -> None:
    assert issubclass(BadRequest, NetworkError)
    call, calls = failing(BadRequest("Bad Request: message is too long"))
    with pytest.raises(BadRequest):
        await deliver(call)
    assert calls[0] == 1


async def test_timeouts_and_network_errors_are_retried_with_backoff() -> None:
    call, calls = failing(TimedOut(), NetworkError("connection reset"))
    assert await deliver(call) == "sent"
    assert calls[0] == 3


async def test_network_errors_give_up_after_the_attempt_limit() -> None:
    call, calls = failing(*[TimedOut()] * 10)
    with pytest.raises(TimedOut):
        await deliver(call, attempts=3)
    assert calls[0] == 3
