"""Pytest fixtures for the stand-in; import them into a conftest.py::

from tests.telegram_standin.fixtures import standin  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import StandinServer


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    """A running stand-in (token ``123456:TEST``, 30 msg/s) for one test."""
    with StandinServer() as server:
        yield server
