"""A clock the storage tests move by hand (repositories accept any ``() -> datetime``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


class ManualClock:
    """A repository clock that stands still until a test advances it."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward (``days=``, ``hours=``, …) and return the new time."""
        self.now += timedelta(**delta)
        return self.now
