"""Every Telegram error leads to a defined step: wait, retry, resend, blocked or failed."""

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

from bot.retry import BROADCAST_RETRY, RetryPolicy
from bot.telegram.outcomes import classify

POLICY = RetryPolicy(base=1, cap=4, attempts=5)


@pytest.mark.parametrize(
    ("error", "action"),
    [
        pytest.param(RetryAfter(3), "wait", id="flood"),
        pytest.param(Forbidden("Forbidden: bot was blocked by the user"), "blocked", id="403"),
        pytest.param(BadRequest("Bad Request: chat not found"), "failed", id="400"),
        pytest.param(ChatMigrated(-100_5), "resend", id="migrated"),
        pytest.param(TimedOut(), "retry", id="timeout"),
        pytest.param(NetworkError("Bad Gateway"), "retry", id="5xx"),
        pytest.param(TelegramError("Invalid server response"), "retry", id="garbage"),
    ],
)
def test_each_error_kind_maps_to_its_step(error: TelegramError, action: str) -> None:
    assert classify(error, 1, POLICY).action == action


def test_transient_errors_fail_with_reason_after_the_attempt_cap() -> None:
    step = classify(TelegramError("Invalid server response"), 5, POLICY)
    assert step.action == "failed"
    assert step.reason == "TelegramError: Invalid server response (after 5 attempts)"


def test_a_second_migration_fails() -> None:
    assert classify(ChatMigrated(-100_5), 1, POLICY, migrated=True).action == "failed"


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [POLICY.delay(n) for n in range(1, 6)] == [1, 2, 4, 4, 4]
    assert BROADCAST_RETRY.patience >= 60
