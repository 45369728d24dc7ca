"""Reuse across content versions: what a reload computed for an unchanged part, it reuses.

The build process lives on between reloads, and most reloads change a few entries of many. A
:class:`VersionMemo` keeps the values of the previous run and of the current one only, so its
memory stays about two content versions' worth, whatever the number of reloads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class VersionMemo(Generic[K, V]):
    """Values by key, reused from the previous run; :meth:`next_run` starts a run."""

    def __init__(self) -> None:
        self._previous: dict[K, V] = {}
        self._current: dict[K, V] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for ``key``: this run's, the previous run's, or newly computed (not None).

        ``compute`` must depend on nothing but what ``key`` holds.
        """
        found = self._current.get(key)
        if found is None:
            found = self._previous.get(key)
            if found is None:
                found = compute()
            self._current[key] = found
        return found

    def next_run(self) -> None:
        """Start a run: what the last run used is kept, everything older is dropped."""
        self._previous, self._current = self._current, {}
