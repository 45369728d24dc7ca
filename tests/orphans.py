"""Worker processes of a bot killed with ``kill -9``: do they end by themselves?"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def kill_bot(script: str, *args: str) -> list[int]:
    """Run ``script`` as a bot that prints its workers' pids on one line, then ``kill -9`` it;
    the workers' pids."""
    bot = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    assert bot.stdout is not None
    workers = [int(pid) for pid in bot.stdout.readline().split()]
    assert workers
    assert all(map(running, workers))
    bot.send_signal(signal.SIGKILL)
    bot.wait()
    return workers


def outliving(pids: list[int], seconds: float) -> list[int]:
    """The processes of ``pids`` still running after ``seconds`` (killed, so none is left)."""
    deadline = time.monotonic() + seconds
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in pids if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left
