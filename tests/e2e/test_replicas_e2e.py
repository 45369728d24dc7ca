"""``digilotse run --webhook`` replicas on one PostgreSQL: the leader is killed mid-broadcast.

Two replicas: A starts first and leads; B registers its webhook last, so the stand-in
delivers every update to B. The admin announces through B, A sends, A gets SIGKILL part-way,
and B takes over the outbox and finishes.

Three replicas behind the round-robin balancer (:mod:`tests.e2e.replicas`): the admin
announces to 2 000 subscribers while users do the Digitalisierungs-Check and ask questions,
every update reaching the next replica; the leader gets SIGKILL mid-broadcast and users go
on. Reminders are not part of it (their sweep runs once a minute;
tests/bot/telegram/test_event_workers.py covers them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storage import Database
from storage.check.repository import CheckRepository
from tests.e2e.broadcast_scenario import ADMIN, ANNOUNCE, FIRST, announce, delivered, seed
from tests.e2e.conftest import TOKEN
from tests.e2e.harness import BotProcess
from tests.e2e.replicas import Replicas, wait_until, webhooks
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


def _start(standin: StandinServer, process: BotProcess, count: int) -> None:
    """Start ``process`` and wait until it is the ``count``-th to register its webhook."""
    process.start(wait=False)
    wait_until(lambda: webhooks(standin) >= count, 60)


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
        wait_until(lambda: sum(delivered(standin).values()) >= KILL_AFTER, 60)
        replica_a.kill()
        killed, before = time.monotonic(), len(standin.sent)
        wait_until(lambda: any(c.method == "sendMessage" for c in standin.sent[before:]), 30)
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


BEHIND_BALANCER = 2_000
KILL_AT = 600
CHECK_USERS = (41_001, 41_002, 41_003)
ASKERS = (42_001, 42_002)
QUESTIONS = ("Was ist das Onlinezugangsgesetz?", "Wer fördert Breitband in Baden-Württemberg?")
PROFILE = (
    ("3.000 – 9.999", "Gemeindeverwaltungsverband"),
    ("Ja", "Rolle"),
    ("IT", "Personal"),
    ("unter 0,5", "Frage 1 von 30"),
)
BEFORE_KILL, AFTER_KILL = 4, 8


def _press(standin: StandinServer, user: int, label: str, expect: str) -> None:
    """Press the newest button ending in ``label`` and wait for ``expect``."""
    for message in reversed(standin.messages_to(user)):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        buttons = [b for row in rows for b in row if b["text"].endswith(label)]
        if buttons:
            since, data = standin.mark(), buttons[0]["callback_data"]
            standin.inject_callback(user, data, message_id=message.message_id)
            standin.wait_for_message(user, contains=expect, since=since, timeout=30)
            return
    raise AssertionError(f"no button {label!r} for {user}")


def _say(standin: StandinServer, user: int, text: str, expect: str | None = None) -> None:
    since = standin.mark()
    standin.inject_message(user, text)
    standin.wait_for_message(user, contains=expect, since=since, timeout=30)


def _begin_checks(standin: StandinServer) -> None:
    """Each check user starts the check, names a Kommune and fills in the profile."""
    for user in CHECK_USERS:
        _say(standin, user, "/check", "Wie heißt Ihre Kommune")
        _say(standin, user, f"Gemeinde {user}", "Angaben zur Kommune")
    for label, expect in PROFILE:
        for user in CHECK_USERS:
            _press(standin, user, label, expect)


def _answer_questions(standin: StandinServer, first: int, last: int) -> None:
    """Every check user answers questions ``first..last`` with C; askers ask in between."""
    for number in range(first, last + 1):
        for user in CHECK_USERS:
            _press(standin, user, "C", f"Frage {number + 1} von 30")
        asker = ASKERS[number % len(ASKERS)]
        _say(standin, asker, QUESTIONS[number % len(QUESTIONS)])


def _check_answers(url: str) -> dict[int, int]:
    """Stored answers of each check user's unfinished session."""

    async def read() -> dict[int, int]:
        database = Database(url)
        try:
            async with database.session() as session:
                repository = CheckRepository(session)
                found = {}
                for user in CHECK_USERS:
                    open_session = await repository.unfinished(user)
                    assert open_session is not None
                    found[user] = len(await repository.answers(open_session.id))
                return found
        finally:
            await database.dispose()

    return asyncio.run(read())


def test_three_replicas_behind_a_balancer_survive_killing_the_broadcasting_leader(
    standin: StandinServer, empty_database_url: str, tmp_path: Path
) -> None:
    """Users keep talking through any replica while the leader dies mid-broadcast."""
    env = {"ADMIN_IDS": str(ADMIN), "BROADCAST_PACE": "200", "BROADCAST_CONCURRENCY": "8"}
    for user in (*CHECK_USERS, *ASKERS, *range(FIRST, FIRST + BEHIND_BALANCER)):
        standin.add_user(user)
    with Replicas(standin, empty_database_url, tmp_path, 3, env) as replicas:
        replicas.start(range(1))  # migrates the empty database
        asyncio.run(seed(empty_database_url, BEHIND_BALANCER))
        replicas.start(range(1, 3))
        leader = replicas.leader()
        mark = announce(standin)
        _begin_checks(standin)
        _answer_questions(standin, 1, BEFORE_KILL)
        wait_until(lambda: sum(delivered(standin).values()) >= KILL_AT, 60)
        replicas.kill(leader)
        killed, at_kill = time.monotonic(), sum(delivered(standin).values())
        wait_until(lambda: sum(delivered(standin).values()) > at_kill + CONCURRENCY, 30)
        resumed = time.monotonic() - killed
        _answer_questions(standin, BEFORE_KILL + 1, AFTER_KILL)
        standin.wait_for_message(
            ADMIN, contains="Versand abgeschlossen", timeout=60, since=mark, edits=False
        )
        assert replicas.leader() != leader
        assert min(replicas.balancer.forwarded) > 0  # every replica served updates
    reached = delivered(standin)
    assert at_kill < BEHIND_BALANCER  # the kill came mid-broadcast
    assert set(reached) == set(range(FIRST, FIRST + BEHIND_BALANCER))
    assert sum(reached.values()) - BEHIND_BALANCER <= CONCURRENCY
    assert _check_answers(empty_database_url) == dict.fromkeys(CHECK_USERS, AFTER_KILL)
    assert resumed < 10, resumed
    print(f"\nthree replicas: broadcast resumed {resumed:.1f} s after killing the leader")
