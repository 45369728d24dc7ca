"""The running bot under load through the Telegram stand-in.

Starts ``digilotse run`` as a subprocess against a stand-in (rate limit lifted, so Telegram's
flood control is not what is measured), lets many concurrent users ask knowledge questions, and
prints: time from start to first poll, updates handled per second, update → reply latency
p50/p99, and the bot process's RSS.

``python -m bench telegram [--users 50] [--questions 10]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.e2e.harness import BotProcess
from tests.telegram_standin import StandinServer

QUESTIONS = (
    "Was regelt das Onlinezugangsgesetz?",
    "Wie hoch ist der Bildungs-Voucher für Digitallotsen?",
    "Was ist der Digitalisierungs-Check?",
    "Welche Gewinner gab es bei der Digitalen Zukunftskommune?",
    "Was bedeutet das OZG 2.0 für Kommunen?",
)


def rss_mb(pid: int) -> float:
    """Resident set size of a process in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(users: int, questions: int, database_url: str | None) -> None:
    """Drive the bot and print the figures."""
    with tempfile.TemporaryDirectory() as directory, StandinServer(rate_limit=100_000) as server:
        url = database_url or f"sqlite+aiosqlite:///{directory}/bench.sqlite3"
        print(f"database: {url.split(':', 1)[0]}")
        bot = BotProcess(
            server,
            url,
            log_path=Path(directory) / "bot.log",
            extra_env={"LOG_LEVEL": "WARNING"},
        )
        started = bot.start()
        print(f"start to first poll: {started:.2f} s")
        try:
            for user in range(users):  # warm-up: each user once, not measured
                server.inject_message(10_000 + user, QUESTIONS[user % len(QUESTIONS)])
            server.wait_for(lambda c: c.method == "sendMessage", timeout=60)
            _wait_quiet(server, users)
            bot_cpu, own_cpu = cpu_seconds(bot.pid), time.process_time()
            latencies, seconds = _measure(server, users, questions)
            bot_cpu, own_cpu = cpu_seconds(bot.pid) - bot_cpu, time.process_time() - own_cpu
        finally:
            rss = rss_mb(bot.pid)
            bot.stop()
    total = users * questions
    print(f"users: {users}, updates: {total}, wall time: {seconds:.2f} s")
    print(f"updates handled per second: {total / seconds:.0f}")
    print(
        f"update -> reply latency: p50 {1000 * statistics.median(latencies):.1f} ms, "
        f"p99 {1000 * percentile(latencies, 0.99):.1f} ms"
    )
    print(f"bot process RSS: {rss:.0f} MB")
    print(f"CPU during the measurement: bot {100 * bot_cpu / seconds:.0f} %, "
          f"stand-in and load generator {100 * own_cpu / seconds:.0f} % (of one core)")  # fmt: skip


def _wait_quiet(server: StandinServer, expected: int) -> None:
    deadline = time.monotonic() + 120
    while server.stats.by_method.get("sendMessage", 0) < expected:
        if time.monotonic() > deadline:
            raise TimeoutError("warm-up replies did not arrive")
        time.sleep(0.05)


def _measure(server: StandinServer, users: int, questions: int) -> tuple[list[float], float]:
    """Each user asks ``questions`` questions one after another; all users at once."""
    latencies: list[float] = []
    lock = threading.Lock()

    def user_session(user: int) -> None:
        chat = 10_000 + user
        for number in range(questions):
            since = len(server.sent)
            sent_at = time.time()  # the stand-in stamps calls with wall-clock time
            server.inject_message(chat, QUESTIONS[(user + number) % len(QUESTIONS)])
            reply = server.wait_for(
                lambda c: c.method == "sendMessage" and c.chat_id == chat, 60, since=since
            )
            with lock:
                latencies.append(reply.timestamp - sent_at)

    threads = [threading.Thread(target=user_session, args=(u,)) for u in range(users)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.monotonic() - began


def main() -> None:
    """Entry point for ``python -m bench telegram [--users N] [--questions N]``."""
    parser = argparse.ArgumentParser(prog="bench telegram")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    run(args.users, args.questions, args.database_url)
