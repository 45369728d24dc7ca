"""What to do after a Telegram error: wait, retry, resend elsewhere, or give up with a reason.

Every error is classified, unknown ones included (an invalid JSON answer from a proxy is a
plain ``TelegramError``): nothing escapes as "unexpected". Pure apart from the error types.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from bot.telegram.retry import RetryPolicy
from storage.events.outbox import INTERRUPTED

Action = Literal["wait", "retry", "resend", "blocked", "failed"]
REASON_MAX = 200
_PERMANENT = (BadRequest, InvalidToken, EndPointNotFound)
REASON_KINDS = (
    *("unreachable", "invalid_response", "chat_not_found", "rejected", "migrated"),
    *("interrupted", "access", "other"),
)
# What a stored reason means for the admin, by the error class that :func:`reason` names.
_KINDS = {
    "NetworkError": "unreachable",  # 5xx, connection refused or reset
    "TimedOut": "unreachable",
    "ChatMigrated": "migrated",
    "InvalidToken": "access",
    "EndPointNotFound": "access",
}


@dataclass(frozen=True)
class Step:
    """The next step: ``wait``/``retry`` after ``seconds``, ``resend`` to ``chat_id``, or end."""

    action: Action
    reason: str
    seconds: float = 0.0
    chat_id: int | None = None


def retry_seconds(error: RetryAfter) -> float:
    """``retry_after`` as seconds, whether PTB gives an int or a timedelta."""
    value: object = error.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0  # PTB sends one of the two


def reason(error: BaseException) -> str:
    """A short, stable description for the outbox and the admin's report."""
    text = str(error).strip() or "no description"
    return f"{type(error).__name__}: {text}"[:REASON_MAX]


def reason_kind(stored: str) -> str:
    """The kind of a stored failure reason (``events_reason_<kind>`` names it in German)."""
    if stored == INTERRUPTED:
        return "interrupted"
    name, _, text = stored.partition(":")
    if name == "BadRequest":
        return "chat_not_found" if "chat not found" in text.casefold() else "rejected"
    if name == "TelegramError" and "invalid server response" in text.casefold():
        return "invalid_response"  # a 200 whose body is not JSON (a proxy's error page)
    return _KINDS.get(name, "other")


def failure_kinds(stored: list[tuple[str, int]], failed: int) -> list[tuple[str, int]]:
    """Stored reasons with their counts merged by kind, most frequent first; failed rows that
    ``stored`` does not cover (only the most frequent texts are read) count as ``other``."""
    kinds: Counter[str] = Counter()
    for text, count in stored:
        kinds[reason_kind(text)] += count
    if (rest := failed - sum(kinds.values())) > 0:
        kinds["other"] += rest
    return kinds.most_common()


def classify(
    error: TelegramError, attempt: int, policy: RetryPolicy, *, migrated: bool = False
) -> Step:
    """The step after try ``attempt`` failed with ``error``.

    ``migrated``: the message was already redirected once (a second migration is a failure).
    """
    if isinstance(error, RetryAfter):
        return Step("wait", reason(error), retry_seconds(error))
    if isinstance(error, Forbidden):
        return Step("blocked", reason(error))
    if isinstance(error, ChatMigrated):
        if migrated:
            return Step("failed", reason(error))
        return Step("resend", reason(error), chat_id=int(error.new_chat_id))
    if isinstance(error, _PERMANENT):  # BadRequest before NetworkError, its base class
        return Step("failed", reason(error))
    if not policy.allows(attempt):  # timeouts, 5xx, garbage answers, anything unknown
        return Step("failed", f"{reason(error)} (after {attempt} attempts)"[:REASON_MAX])
    return Step("retry", reason(error), policy.delay(attempt))
