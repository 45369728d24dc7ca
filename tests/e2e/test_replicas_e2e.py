"""Two ``digilotse run --webhook`` replicas on one PostgreSQL: the leader is killed mid-broadcast.

Replica A starts first and leads; replica B registers its webhook last, so the stand-in
delivers every update to B. The admin announces through B, A sends, A gets SIGKILL part-way,
and B takes over the outbox and finishes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.broadcast_scenario import ADMIN, ANNOUNCE, FIRST, delivered, seed
from tests.e2e.conftest import TOKEN
from tests.e2e.harness import BotProcess
from tests.e2e.test_lifecycle import free_port
from tests.telegram_standin import StandinServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize("empty_database_url", ["postgres"], indirect=True),
]
SUBSCRIBERS = 600
KILL_AFTER = 150
CONCURRENCY = 8


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    """A stand-in of this test's own, without Telegram's pace (the bot keeps its own)."""
    with StandinServer(token=TOKEN, rate_limit=None) as server:
        server.add_user(ADMIN)
        yield server


def _replica(
    standin: StandinServer, url: str, directory: Path, name: str
) -> tuple[BotProcess, str]:
    """A replica in webhook mode on its own port (not started), and its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = BotProcess(
        standin,
        url,
        log_path=directory / f"{name}.log",
        extra_env={
            "ADMIN_IDS": str(ADMIN),
            "BROADCAST_PACE": "100",
            "BROADCAST_CONCURRENCY": str(CONCURRENCY),
            "WEBHOOK_URL": f"{base}/telegram",
            "WEBHOOK_SECRET": "s3cret-token",
            "WEBHOOK_PORT": str(port),
        },
        args=("--webhook",),
    )
    return process, base


def _leads(base: str) -> bool:
    return "digilotse_leader 1.0" in httpx.get(f"{base}/metrics").text


def _start(standin: StandinServer, process: BotProcess, webhooks: int) -> None:
    """Start ``process`` and wait until it is the ``webhooks``-th to register its webhook."""
    process.start(wait=False)
    _wait(lambda: _webhooks(standin) >= webhooks, 60)


def _webhooks(standin: StandinServer) -> int:
    return sum(1 for call in standin.sent if call.method == "setWebhook" and call.ok)


def _wait(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.02)


def test_a_broadcast_whose_sending_replica_is_killed_is_finished_by_the_other(
    standin: StandinServer, empty_database_url: str, tmp_path: Path
) -> None:
    """Every subscriber is reached, duplicates stay within the in-flight window."""
    replica_a, base_a = _replica(standin, empty_database_url, tmp_path, "a")
    replica_b, base_b = _replica(standin, empty_database_url, tmp_path, "b")
    try:
        _start(standin, replica_a, 1)
        asyncio.run(seed(empty_database_url, SUBSCRIBERS))
        for user in range(FIRST, FIRST + SUBSCRIBERS):
            standin.add_user(user)
        _start(standin, replica_b, 2)  # B's webhook is the one Telegram now calls
        assert _leads(base_a)
        assert not _leads(base_b)
        mark = standin.mark()
        standin.inject_command(ADMIN, ANNOUNCE)
        standin.wait_for_message(ADMIN, contains="Empfänger", timeout=30, since=mark)
        go = next(
            d for m in standin.messages_to(ADMIN) for d in m.callback_data if d.startswith("ev:go:")
        )
        standin.inject_callback(ADMIN, go)
        _wait(lambda: sum(delivered(standin).values()) >= KILL_AFTER, 60)
        replica_a.kill()
        killed, before = time.monotonic(), len(standin.sent)
        _wait(lambda: any(c.method == "sendMessage" for c in standin.sent[before:]), 30)
        resumed = time.monotonic() - killed
        standin.wait_for_message(
            ADMIN, contains="Versand abgeschlossen", timeout=120, since=mark, edits=False
        )
        assert _leads(base_b)
    finally:
        replica_a.stop()
        replica_b.stop()
    reached = delivered(standin)
    assert set(reached) == set(range(FIRST, FIRST + SUBSCRIBERS))
    assert sum(reached.values()) - SUBSCRIBERS <= CONCURRENCY
    assert resumed < 10, resumed
