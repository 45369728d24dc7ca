"""The running bot under load through the Telegram stand-in.

Starts ``digilotse run`` as a subprocess against a stand-in (rate limit lifted, so Telegram's
flood control is not what is measured) and asks it the held-out evaluation questions
(``tests/data/kb_eval.yaml``, in scope and out of scope) in two ways:

* **throughput** — a closed loop: ``--users`` users each ask ``--questions`` questions, the next
  one as soon as the answer arrives, so the bot is never idle: updates handled per second and
  the bot's CPU time per update;
* **latency** — an open loop: ``--rate`` questions per second (each rate in turn) for
  ``--seconds`` seconds, spread over a pool of users, whether or not answers have come back:
  the time the bot adds (from the getUpdates answer that hands it the update to the reply's
  arrival at the stand-in, both stamped by the stand-in) and the end-to-end time (from
  injection, so including long-poll wake-up), p50/p99/max.

Also prints the time from start to first poll and the bot process's RSS. The stand-in and the
load generator run in this process and share the machine's cores with the bot.

``python -m bench telegram [--users 50] [--questions 10] [--rate 50,100,150,200] [--seconds 10]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench._stats import percentile
from knowledge.evaluation import load_question_set
from tests.e2e.harness import BotProcess
from tests.telegram_standin import StandinServer
from tests.telegram_standin.recording import SentCall

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "kb_eval.yaml"
POOL_USERS = 500
"""Users the open loop spreads its questions over (each asks every POOL_USERS / rate seconds)."""


def questions() -> list[str]:
    """The held-out evaluation questions, in scope and out of scope."""
    found = load_question_set(EVAL_SET)
    return [item.question for item in found.in_scope] + list(found.out_of_scope)


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


@dataclass(frozen=True)
class Answered:
    """One question's timeline, in wall-clock seconds as the stand-in stamps them."""

    injected: float
    delivered: float
    replied: float


@dataclass
class _Question:
    """An injected question: when, and its update id once the injection returned."""

    injected: float
    update_id: int | None = None


class Conversations:
    """Matches each reply to the oldest unanswered question of its chat (a stand-in listener)."""

    def __init__(self, server: StandinServer) -> None:
        self._server = server
        self._lock = threading.Lock()
        self._open: dict[int, deque[_Question]] = {}
        self._answered: list[tuple[_Question, float]] = []
        self._changed = threading.Condition(self._lock)
        self.on_answer: Callable[[int], None] = lambda chat: None
        server.listen(self._on_call)

    def ask(self, chat: int, text: str) -> None:
        """Inject a question from user ``chat`` and remember when.

        The question is registered before it is injected: the bot can answer it before
        ``inject_message`` returns here (this thread shares the GIL with the stand-in's), and an
        answer with no open question was dropped, which counted it missing and paired the
        chat's later answers with the wrong questions (minute-long "latencies")."""
        question = _Question(time.time())
        with self._lock:
            self._open.setdefault(chat, deque()).append(question)
        question.update_id = self._server.inject_message(chat, text)

    def take(self) -> list[Answered]:
        """The answers collected so far (and forget them)."""
        with self._lock:
            answered, self._answered = self._answered, []
        return [self._timeline(question, replied) for question, replied in answered]

    def _timeline(self, question: _Question, replied: float) -> Answered:
        assert question.update_id is not None  # set as soon as the injection returned
        delivered = self._server.delivery_time(question.update_id) or question.injected
        return Answered(question.injected, delivered, replied)

    def wait(self, count: int, timeout: float) -> None:
        """Block until ``count`` answers were collected since the last :meth:`take` (or say
        how many are missing after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._answered) < count:
                if not self._changed.wait(max(0.0, deadline - time.monotonic())):
                    print(f"  !! only {len(self._answered)} of {count} answers arrived")
                    return

    def _on_call(self, call: SentCall) -> None:
        if call.method != "sendMessage" or not call.ok or not isinstance(call.chat_id, int):
            return
        with self._lock:
            waiting = self._open.get(call.chat_id)
            if not waiting:
                return  # a further message of the same answer
            self._answered.append((waiting.popleft(), call.timestamp))
            self._changed.notify_all()
        self.on_answer(call.chat_id)


def run(args: argparse.Namespace) -> None:
    """Drive the bot and print the figures."""
    texts = questions()
    with tempfile.TemporaryDirectory() as directory, StandinServer(rate_limit=100_000) as server:
        url = args.database_url or f"sqlite+aiosqlite:///{directory}/bench.sqlite3"
        print(f"database: {url.split(':', 1)[0]}; {len(texts)} different questions")
        bot = BotProcess(
            server, url, log_path=Path(directory) / "bot.log", extra_env={"LOG_LEVEL": "WARNING"}
        )
        print(f"start to first poll: {bot.start():.2f} s")
        try:
            talk = Conversations(server)
            warm_up(talk, texts, max(args.users, POOL_USERS))
            throughput(talk, texts, [bot.pid], args.users, args.questions)
            for rate in args.rate:
                latency(talk, texts, rate, args.seconds)
        finally:
            rss = rss_mb(bot.pid)
            bot.stop()
    print(f"bot process RSS: {rss:.0f} MB")


def warm_up(talk: Conversations, texts: list[str], users: int) -> None:
    """Every user asks once (first contact writes the user row); not measured."""
    for user in range(users):
        talk.ask(_chat(user), texts[user % len(texts)])
    talk.wait(users, timeout=120)
    talk.take()


def throughput(
    talk: Conversations, texts: list[str], pids: list[int], users: int, count: int
) -> None:
    """Closed loop: each user asks the next question as soon as the answer arrives."""
    asked = dict.fromkeys((_chat(user) for user in range(users)), 1)

    def next_question(chat: int) -> None:
        if asked.get(chat, count) < count:
            asked[chat] += 1
            talk.ask(chat, texts[(chat + 7 * asked[chat]) % len(texts)])

    talk.on_answer = next_question
    bot_cpu, own_cpu = sum(map(cpu_seconds, pids)), time.process_time()
    began = time.monotonic()
    for chat in asked:
        talk.ask(chat, texts[chat % len(texts)])
    talk.wait(users * count, timeout=120)
    seconds = time.monotonic() - began
    bot_cpu = sum(map(cpu_seconds, pids)) - bot_cpu
    own_cpu = time.process_time() - own_cpu
    talk.on_answer = lambda chat: None
    answered = talk.take()
    total = len(answered)
    print(f"throughput (closed loop, {users} users x {count} questions, {seconds:.1f} s):")
    print(f"  updates handled per second: {total / seconds:.0f}")
    print(
        f"  bot CPU per update: {1000 * bot_cpu / total:.2f} ms "
        f"({100 * bot_cpu / seconds:.0f} % of one core); "
        f"stand-in and load generator: {100 * own_cpu / seconds:.0f} % of one core"
    )
    _print_latency(answered)


def latency(talk: Conversations, texts: list[str], rate: float, seconds: float) -> None:
    """Open loop: ``rate`` questions per second for ``seconds``, answered or not."""
    total = int(rate * seconds)
    began = time.monotonic()
    for number in range(total):
        delay = began + number / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        talk.ask(_chat(number % POOL_USERS), texts[(number * 13) % len(texts)])
    offered = total / (time.monotonic() - began)
    talk.wait(total, timeout=60)
    answered = talk.take()
    span = max(a.replied for a in answered) - min(a.injected for a in answered)
    print(
        f"latency (open loop, {offered:.0f} updates/s offered for {seconds:.0f} s "
        f"over {POOL_USERS} users):"
    )
    print(f"  updates handled per second: {total / span:.0f}")
    _print_latency(answered)


def _print_latency(answered: list[Answered]) -> None:
    added = [a.replied - a.delivered for a in answered]
    whole = [a.replied - a.injected for a in answered]
    for label, values in (("added by the bot", added), ("end to end", whole)):
        print(
            f"  {label}: p50 {1000 * statistics.median(values):.1f} ms, "
            f"p99 {1000 * percentile(values, 0.99):.1f} ms, max {1000 * max(values):.1f} ms"
        )


def _chat(user: int) -> int:
    return 10_000 + user


def main() -> None:
    """Entry point for ``python -m bench telegram``."""
    parser = argparse.ArgumentParser(prog="bench telegram")
    parser.add_argument("--users", type=int, default=50, help="closed loop: concurrent users")
    parser.add_argument("--questions", type=int, default=10, help="closed loop: per user")
    parser.add_argument(
        "--rate",
        type=lambda text: [float(rate) for rate in text.split(",")],
        default=[50.0, 100.0, 150.0, 200.0],
        help="open loop: updates per second, comma-separated (default 50,100,150,200)",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="open loop: duration")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    run(parser.parse_args())
