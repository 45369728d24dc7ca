"""A whole broadcast through ``digilotse run`` and the stand-in; shared by the e2e test and bench.

Subscribers are seeded straight into the database (not thousands of /abonnieren round trips);
the admin then announces, presses "Jetzt senden", optionally the bot is killed with SIGKILL
part-way and restarted, and the scenario waits for the report; ``then`` may act on it while
the bot still runs (the outcome is taken afterwards, with the newest report).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storage import Database, UserRepository
from storage.events.repository import EventRepository
from tests.e2e.harness import BotProcess
from tests.telegram_standin import StandinServer

ADMIN = 900_001
FIRST = 2_000_000
ANNOUNCE = "/ankuendigen Netzwerktreffen | 2030-03-12 18:00 | Leinfelden-Echterdingen | Austausch"
TITLE_MARK = "<b>Netzwerktreffen</b>"


@dataclass(frozen=True)
class Outcome:
    """What a broadcast run produced."""

    delivered: Counter[int]
    report: str
    active_users: int
    seconds: float
    too_many_requests: int
    db_growth_bytes: int


async def seed(url: str, subscribers: int) -> None:
    """Users ``FIRST …`` with an active subscription, in one transaction."""
    database = Database(url)
    try:
        async with database.session() as session:
            events = EventRepository(session)
            for user in range(FIRST, FIRST + subscribers):
                await events.set_subscription(user, user, True)
    finally:
        await database.dispose()


async def active_users(url: str) -> int:
    """Users not marked inactive."""
    database = Database(url)
    try:
        async with database.session() as session:
            return await UserRepository(session).count(active_only=True)
    finally:
        await database.dispose()


def announce(standin: StandinServer) -> int:
    """The admin announces and presses "Jetzt senden"; returns the mark taken before."""
    mark = standin.mark()
    standin.inject_command(ADMIN, ANNOUNCE)
    standin.wait_for_message(ADMIN, contains="Empfänger", timeout=30, since=mark)
    go = next(
        d for m in standin.messages_to(ADMIN) for d in m.callback_data if d.startswith("ev:go:")
    )
    standin.inject_callback(ADMIN, go)
    return mark


def delivered(standin: StandinServer) -> Counter[int]:
    """Accepted announcement messages per chat."""
    return Counter(
        int(call.chat_id or 0)
        for call in standin.sent
        if call.ok and call.method == "sendMessage" and TITLE_MARK in (call.text or "")
        and int(call.chat_id or 0) != ADMIN
    )  # fmt: skip


def run(
    standin: StandinServer,
    directory: Path,
    *,
    subscribers: int,
    blocked: int,
    pace: float,
    kill_after: int | None = None,
    timeout: float = 600,
    faults: Callable[[StandinServer], None] | None = None,
    env: dict[str, str] | None = None,
    then: Callable[[StandinServer], None] | None = None,
) -> Outcome:
    """Announce to ``subscribers`` (the first ``blocked`` blocked the bot); see module doc."""
    db_file = directory / "bot.sqlite3"
    url = f"sqlite+aiosqlite:///{db_file}"
    bot = BotProcess(
        standin, url, log_path=directory / "bot.log",
        extra_env={"ADMIN_IDS": str(ADMIN), "BROADCAST_PACE": str(pace), "LOG_LEVEL": "WARNING",
                   **(env or {})},
    )  # fmt: skip
    bot.start()
    try:
        standin.faults_script = faults  # type: ignore[attr-defined]
        standin.then_script = then  # type: ignore[attr-defined]
        return _announce(standin, bot, url, db_file, subscribers, blocked, kill_after, timeout)
    finally:
        bot.stop()


def _announce(
    standin: StandinServer,
    bot: BotProcess,
    url: str,
    db_file: Path,
    subscribers: int,
    blocked: int,
    kill_after: int | None,
    timeout: float,
) -> Outcome:
    asyncio.run(seed(url, subscribers))
    size_before = _size(db_file)
    for user in range(FIRST, FIRST + subscribers):
        standin.add_user(user)
    for user in range(FIRST, FIRST + blocked):
        standin.block_user(user)
    mark = standin.mark()
    standin.inject_command(ADMIN, ANNOUNCE)
    standin.wait_for_message(ADMIN, contains="Empfänger", timeout=30, since=mark)
    go = next(
        d for m in standin.messages_to(ADMIN) for d in m.callback_data if d.startswith("ev:go:")
    )
    before_429 = standin.stats.too_many_requests
    started = time.monotonic()
    standin.inject_callback(ADMIN, go)
    script = getattr(standin, "faults_script", None)
    if script is not None:
        script(standin)
    if kill_after is not None:
        _wait(lambda: sum(delivered(standin).values()) >= kill_after, timeout)
        bot.kill()
        bot.restart()
    standin.wait_for_message(
        ADMIN, contains="Versand abgeschlossen", timeout=timeout, since=mark, edits=False
    )
    seconds = time.monotonic() - started
    after_report = getattr(standin, "then_script", None)
    if after_report is not None:
        after_report(standin)
    report = next(
        m.text or "" for m in reversed(standin.messages_to(ADMIN)) if "Versand" in (m.text or "")
    )
    return Outcome(
        delivered=delivered(standin),
        report=report,
        active_users=asyncio.run(active_users(url)),
        seconds=seconds,
        too_many_requests=standin.stats.too_many_requests - before_429,
        db_growth_bytes=_size(db_file) - size_before,
    )


def _size(db_file: Path) -> int:
    return sum(p.stat().st_size for p in db_file.parent.glob(db_file.name + "*"))


def _wait(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.05)
