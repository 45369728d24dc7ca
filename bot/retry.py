"""The retry policy for Telegram calls that failed on the network: how often, how long to wait.

Shared by single replies (``bot.telegram.delivery``) and broadcasts (``bot.telegram.broadcast``).
"""

from __future__ import annotations

MAX_ATTEMPTS = 4
BASE_BACKOFF = 0.5


def backoff(attempt: int, base: float = BASE_BACKOFF) -> float:
    """Delay before retry number ``attempt`` (1, 2, …) after a network error."""
    return float(base * 2 ** (attempt - 1))


def should_retry(attempt: int, limit: int = MAX_ATTEMPTS) -> bool:
    """Whether a call that failed on ``attempt`` may be tried again."""
    return attempt < limit
