"""Storage test fixtures (the databases themselves come from ``tests/conftest.py``)."""

from __future__ import annotations

import pytest

from .clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    """A clock at 2025-03-01 09:30 UTC that only moves when the test advances it."""
    return ManualClock()
