"""One process per SQLite database: an exclusive ``flock`` on ``<database>.lock``.

SQLite has one writer and no way to share once-only work (broadcasts, reminders) between
processes, so a second ``digilotse run`` on the same file is refused with one line instead of
two bots answering and broadcasting at once. The lock is the kernel's: it goes with the process,
also after kill -9, so a stale lock file never blocks a restart. (Where ``fcntl`` is missing,
on Windows, there is no guard.)
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO

from storage.db import DatabaseFaultError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_path(database: Path) -> Path:
    """The lock file beside ``database``."""
    return database.with_name(database.name + ".lock")


def claim(database: Path | None) -> IO[bytes] | None:
    """Hold the lock for ``database`` (keep the returned file open for as long as it runs).

    ``None`` for PostgreSQL or in-memory databases (``database`` is ``None``);
    ``DatabaseFaultError`` if another process holds it.
    """
    if database is None or fcntl is None:
        return None
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("ab")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise DatabaseFaultError(
            f"another digilotse process already uses {database}; SQLite serves one process "
            "(stop the other one, or use PostgreSQL for several replicas)"
        ) from None
    return handle


def release(handle: IO[bytes] | None) -> None:
    """Give the lock up (also happens when the process ends)."""
    if handle is not None:
        with contextlib.suppress(OSError):
            handle.close()
