"""Runs ``digilotse run`` as a real subprocess against the Telegram stand-in.

The process is started the way an operator starts it (environment variables only), can be
stopped gracefully, killed with SIGKILL and restarted on the same database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from tests.telegram_standin import StandinServer

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


class BotProcess:
    """One bot subprocess (restartable) polling the given stand-in."""

    def __init__(
        self,
        standin: StandinServer,
        database_url: str,
        *,
        log_path: Path,
        extra_env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.standin = standin
        self.database_url = database_url
        self.log_path = log_path
        self.args = args
        self.env = {
            **os.environ,
            **standin.bot_env(),
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            "PSEUDONYM_SECRET": "e2e-secret",
            "NLU_BACKEND": "embedded",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, *, wait: bool = True) -> float:
        """Start the bot; with ``wait``, block until it polls and return the seconds it took."""
        polls_before = self.standin.stats.get_updates
        self._log = self.log_path.open("ab")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", *self.args],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        if wait:
            self.wait_until_polling(polls_before)
        return time.monotonic() - started

    def wait_until_polling(self, polls_before: int) -> None:
        """Block until the bot's first getUpdates arrived (start-up finished)."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.standin.stats.get_updates <= polls_before:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"bot did not start polling:\n{self.log()}")
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing — a crash."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> int | None:
        """SIGTERM and wait for a graceful exit; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=5)
        self._close_log()
        return code

    def restart(self) -> float:
        """Start again on the same database (after ``kill`` or ``stop``)."""
        return self.start()

    @property
    def pid(self) -> int:
        """The running process id."""
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        """Everything the bot printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
