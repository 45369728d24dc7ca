"""Fixtures for the NLU tests: one embedded backend trained once per session."""

from __future__ import annotations

import pytest

from nlu.embedded import EmbeddedNlu


@pytest.fixture(scope="session")
def embedded() -> EmbeddedNlu:
    """The embedded backend on the real training data (weights cached between runs)."""
    return EmbeddedNlu.load()
