"""A token bucket that spaces sends evenly; pure arithmetic on a caller-supplied clock.

All broadcasts share one bucket, so concurrent broadcasts together stay under the pace. A
``RetryAfter`` from Telegram pauses the bucket (every sender) until the given moment.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.telegram.retry import backoff, should_retry

__all__ = ["DEFAULT_PACE", "SlidingWindow", "TokenBucket", "backoff", "should_retry"]

DEFAULT_PACE = 25.0


@dataclass
class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up; ``reserve`` says how long to wait.

    With ``burst=1`` any window of one second holds at most ``rate + 1`` sends.
    """

    rate: float = DEFAULT_PACE
    burst: float = 1.0
    _next: float = 0.0  # the moment the next token is available
    _paused_until: float = 0.0

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")

    def reserve(self, now: float) -> float:
        """Take one token; the seconds the caller must wait before using it."""
        interval = 1.0 / self.rate
        earliest = max(now - (self.burst - 1) * interval, self._paused_until)
        slot = max(self._next, earliest)
        self._next = slot + interval
        return max(0.0, slot - now)

    def pause_until(self, moment: float) -> None:
        """Hand out no token before ``moment`` (Telegram asked us to wait)."""
        self._paused_until = max(self._paused_until, moment)
        self._next = max(self._next, moment)


@dataclass
class SlidingWindow:
    """At most ``limit`` sends in any ``period`` seconds, measured when sends actually start.

    Guards against catch-up bursts when senders wake late (event-loop or database stalls):
    the bucket plans evenly, the window refuses to let late wake-ups bunch up.
    """

    limit: int
    period: float = 1.0
    _starts: list[float] | None = None

    def delay(self, now: float) -> float:
        """Seconds to wait before a send may start now."""
        starts = self._starts or []
        if len(starts) < self.limit:
            return 0.0
        return max(0.0, starts[-self.limit] + self.period - now)

    def record(self, now: float) -> None:
        """A send starts now."""
        self._starts = (
            [*(self._starts or [])[-(self.limit - 1) :], now] if self.limit > 1 else [now]
        )
