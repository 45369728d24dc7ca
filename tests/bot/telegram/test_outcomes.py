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

from bot.dialogue.texts import load_texts
from bot.telegram.outcomes import REASON_KINDS, classify, failure_kinds, reason_kind
from bot.telegram.retry import BROADCAST_RETRY, RetryPolicy
from storage.events.outbox import INTERRUPTED

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


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        pytest.param(NetworkError("Bad Gateway"), "unreachable", id="5xx"),
        pytest.param(TimedOut(), "unreachable", id="timeout"),
        pytest.param(TelegramError("Invalid server response"), "invalid_response", id="garbage"),
        pytest.param(BadRequest("Chat not found"), "chat_not_found", id="unknown-chat"),
        pytest.param(BadRequest("Can't parse entities"), "rejected", id="other-400"),
        pytest.param(ChatMigrated(-100_5), "migrated", id="migrated-twice"),
        pytest.param(TelegramError("Conflict"), "other", id="unknown"),
    ],
)
def test_stored_reasons_map_to_a_kind_the_admin_can_read(error: TelegramError, kind: str) -> None:
    """The reason as the worker stores it, capped attempts included, names its kind."""
    stored = classify(error, POLICY.attempts, POLICY).reason
    assert reason_kind(stored) == kind


def test_every_kind_has_a_german_text() -> None:
    texts = load_texts()
    assert all(texts[f"events_reason_{kind}"] for kind in REASON_KINDS)


def test_interrupted_rows_have_their_own_kind() -> None:
    assert reason_kind(INTERRUPTED) == "interrupted"


def test_failure_kinds_merge_reasons_and_count_unread_ones_as_other() -> None:
    stored = [("NetworkError: Bad Gateway (after 9 attempts)", 5), ("TimedOut: Timed out", 2)]
    stored.append(("BadRequest: Chat not found", 3))
    assert failure_kinds(stored, failed=11) == [
        ("unreachable", 7),
        ("chat_not_found", 3),
        ("other", 1),
    ]
