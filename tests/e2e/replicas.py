"""N ``digilotse run --webhook`` replicas on one PostgreSQL behind the test balancer.

Every replica sets ``WEBHOOK_URL`` to the balancer, so whichever registers last, the stand-in
posts to the balancer and each update reaches the next live replica. Shared by the replica
e2e tests and ``python -m bench replicas``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import httpx

from tests.e2e.balancer import Balancer
from tests.e2e.harness import BotProcess
from tests.e2e.test_lifecycle import free_port
from tests.telegram_standin import StandinServer

SECRET = "s3cret-token"
LEADER_METRIC = "digilotse_leader 1.0"


class Replicas:
    """The replicas (not started) and their balancer; a context manager that stops them all."""

    def __init__(
        self,
        standin: StandinServer,
        database_url: str,
        directory: Path,
        count: int,
        env: dict[str, str] | None = None,
    ) -> None:
        self.standin = standin
        self.ports = [free_port() for _ in range(count)]
        self.balancer = Balancer(self.ports)
        self.processes = [
            BotProcess(
                standin,
                database_url,
                log_path=directory / f"replica-{index}.log",
                extra_env={
                    **(env or {}),
                    "WEBHOOK_URL": f"{self.balancer.url}/telegram",
                    "WEBHOOK_SECRET": SECRET,
                    "WEBHOOK_PORT": str(port),
                },
                args=("--webhook",),
            )
            for index, port in enumerate(self.ports)
        ]
        self.killed: set[int] = set()

    def start(self, indexes: range | None = None, timeout: float = 90) -> None:
        """Start the given replicas at once and wait until each registered its webhook."""
        chosen = list(indexes if indexes is not None else range(len(self.processes)))
        before = webhooks(self.standin)
        for index in chosen:
            self.processes[index].start(wait=False)
        wait_until(lambda: webhooks(self.standin) >= before + len(chosen), timeout)

    def leader(self, timeout: float = 30) -> int:
        """Index of the one live replica whose metrics say it leads (waits for an election)."""
        found: list[int] = []

        def elected() -> bool:
            found[:] = [i for i in self.live() if self.leads(i)]
            return len(found) == 1

        wait_until(elected, timeout)
        return found[0]

    def leads(self, index: int) -> bool:
        """Whether replica ``index`` reports ``digilotse_leader 1`` on /metrics."""
        url = f"http://127.0.0.1:{self.ports[index]}/metrics"
        return LEADER_METRIC in httpx.get(url, timeout=5).text

    def live(self) -> list[int]:
        """Indexes of the replicas not killed."""
        return [i for i in range(len(self.processes)) if i not in self.killed]

    def kill(self, index: int) -> None:
        """SIGKILL one replica."""
        self.processes[index].kill()
        self.killed.add(index)

    def __enter__(self) -> Replicas:
        self.balancer.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for process in self.processes:
            process.stop()
        self.balancer.__exit__(exc_type, exc, traceback)


def webhooks(standin: StandinServer) -> int:
    """Accepted setWebhook calls so far."""
    return sum(1 for call in standin.sent if call.method == "setWebhook" and call.ok)


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Poll ``condition`` every 20 ms; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.02)
