"""The retry policy for Telegram calls that failed transiently: how often, how long to wait.

Bounded exponential backoff: the delay doubles from ``base`` up to ``cap``; after ``attempts``
tries the call is given up. Single replies (``bot.telegram.delivery``) ride out about 20 s,
broadcasts (``bot.telegram.broadcast``) a little over a minute.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTEMPTS = 4
BASE_BACKOFF = 0.5


@dataclass(frozen=True)
class RetryPolicy:
    """At most ``attempts`` tries, waiting ``base``, ``2·base``, … (never more than ``cap``)."""

    base: float = 0.5
    cap: float = 8.0
    attempts: int = 7

    def __post_init__(self) -> None:
        if self.base <= 0 or self.cap < self.base or self.attempts < 1:
            raise ValueError("need base > 0, cap >= base and attempts >= 1")

    def delay(self, attempt: int) -> float:
        """Seconds to wait after try number ``attempt`` (1, 2, …) failed."""
        return float(min(self.cap, self.base * 2 ** min(attempt - 1, 62)))

    def allows(self, attempt: int) -> bool:
        """Whether a call that failed on try ``attempt`` may be tried again."""
        return attempt < self.attempts

    @property
    def patience(self) -> float:
        """The longest outage ridden out: the sum of all waits between tries."""
        return sum(self.delay(n) for n in range(1, self.attempts))


REPLY_RETRY = RetryPolicy(base=0.5, cap=8.0, attempts=7)
"""Replies to users: 0.5 + 1 + 2 + 4 + 8 + 8 = 23.5 s, enough for a 12-second outage."""
BROADCAST_RETRY = RetryPolicy(base=1.0, cap=15.0, attempts=9)
"""Broadcast rows: 1 + 2 + 4 + 8 + 4·15 = 75 s, enough for an outage of a minute."""


def backoff(attempt: int, base: float = BASE_BACKOFF) -> float:
    """Delay before retry number ``attempt`` (1, 2, …) after a network error (uncapped)."""
    return float(base * 2 ** (attempt - 1))


def should_retry(attempt: int, limit: int = MAX_ATTEMPTS) -> bool:
    """Whether a call that failed on ``attempt`` may be tried again."""
    return attempt < limit
