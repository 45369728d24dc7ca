"""Webhook replicas on PostgreSQL behind a round-robin balancer, and a leader's death.

For each replica count (``--replicas 1,2,3``) a fresh stand-in and that many ``digilotse run
--webhook`` processes on one PostgreSQL database, behind :class:`tests.e2e.balancer.Balancer`,
are driven by :mod:`bench.telegram`'s loops: updates/s in a closed loop and the time the
bot adds (p50/p99/max) in an open loop at each ``--rate``. Then, with three replicas, the
admin announces to ``--subscribers``, the sending replica (the leader) gets SIGKILL after
``--kill-after`` deliveries, and the time until the broadcast goes on is printed.

What limits it on a small machine: the replicas, PostgreSQL, the stand-in and the load
generator share the cores, so more replicas add processes competing for the same CPU; and
the stand-in delivers webhook updates one at a time (Telegram opens up to 40 connections),
so the balancer never has more than one update in flight.

``python -m bench replicas [--database-url URL] [--replicas 1,2,3] [--users 50]
[--questions 10] [--rate 50,100,150] [--seconds 10] [--subscribers 2000] [--kill-after 500]``
(URL: a PostgreSQL URL; default ``$DIGILOTSE_TEST_POSTGRES_URL`` from ``scripts/ensure-postgres``)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from bench.telegram import POOL_USERS, Conversations, latency, questions, throughput, warm_up
from tests.e2e.broadcast_scenario import ADMIN, FIRST, announce, delivered, seed
from tests.e2e.replicas import Replicas, wait_until
from tests.telegram_standin import StandinServer

POSTGRES_URL_VARIABLE = "DIGILOTSE_TEST_POSTGRES_URL"
CONCURRENCY = 8
PACE = 100


def run(args: argparse.Namespace) -> None:
    """Every replica count in turn, then the take-over."""
    url = args.database_url or os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not url.startswith("postgresql"):
        raise SystemExit(f"needs PostgreSQL: --database-url or ${POSTGRES_URL_VARIABLE}")
    texts = questions()
    print(f"database: postgresql; {len(texts)} different questions")
    for count in args.replicas:
        _measure(url, texts, count, args)
    _take_over(url, args.subscribers, args.kill_after)


def _measure(url: str, texts: list[str], count: int, args: argparse.Namespace) -> None:
    with (
        tempfile.TemporaryDirectory() as directory,
        StandinServer(rate_limit=100_000) as server,
        Replicas(server, url, Path(directory), count, {"LOG_LEVEL": "WARNING"}) as replicas,
    ):
        began = time.monotonic()
        _start(replicas, count)
        print(f"-- {count} replica(s): all webhooks set after {time.monotonic() - began:.2f} s")
        talk = Conversations(server)
        warm_up(talk, texts, max(args.users, POOL_USERS))
        pids = [process.pid for process in replicas.processes]
        throughput(talk, texts, pids, args.users, args.questions)
        for rate in args.rate:
            latency(talk, texts, rate, args.seconds)
        print(f"  updates per replica (balancer): {replicas.balancer.forwarded}")


def _start(replicas: Replicas, count: int) -> None:
    """The first replica alone (it migrates), then the others at once."""
    replicas.start(range(1))
    if count > 1:
        replicas.start(range(1, count))


def _take_over(url: str, subscribers: int, kill_after: int) -> None:
    env = {
        "ADMIN_IDS": str(ADMIN),
        "BROADCAST_PACE": str(PACE),
        "BROADCAST_CONCURRENCY": str(CONCURRENCY),
        "LOG_LEVEL": "WARNING",
    }
    with (
        tempfile.TemporaryDirectory() as directory,
        StandinServer(rate_limit=None) as server,
        Replicas(server, url, Path(directory), 3, env) as replicas,
    ):
        for user in (ADMIN, *range(FIRST, FIRST + subscribers)):
            server.add_user(user)
        replicas.start(range(1))
        asyncio.run(seed(url, subscribers))
        replicas.start(range(1, 3))
        leader = replicas.leader()
        mark = announce(server)
        wait_until(lambda: sum(delivered(server).values()) >= kill_after, 120)
        replicas.kill(leader)
        killed, at_kill = time.monotonic(), sum(delivered(server).values())
        wait_until(lambda: sum(delivered(server).values()) > at_kill, 60)
        resumed = time.monotonic() - killed
        server.wait_for_message(
            ADMIN, contains="Versand abgeschlossen", timeout=600, since=mark, edits=False
        )
    reached = delivered(server)
    print(
        f"-- take-over (3 replicas, {subscribers} subscribers, pace {PACE}/s, leader killed "
        f"after {at_kill}): broadcast resumed {resumed:.2f} s after SIGKILL; "
        f"{len(reached)} reached, {sum(reached.values()) - len(reached)} duplicates"
    )


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def main() -> None:
    """Entry point for ``python -m bench replicas``."""
    parser = argparse.ArgumentParser(prog="bench replicas")
    parser.add_argument("--database-url", help=f"PostgreSQL (default ${POSTGRES_URL_VARIABLE})")
    parser.add_argument("--replicas", type=_ints, default=[1, 2, 3], help="e.g. 1,2,3")
    parser.add_argument("--users", type=int, default=50, help="closed loop: concurrent users")
    parser.add_argument("--questions", type=int, default=10, help="closed loop: per user")
    parser.add_argument("--rate", type=_floats, default=[50.0, 100.0, 150.0])
    parser.add_argument("--seconds", type=float, default=10.0, help="open loop: duration")
    parser.add_argument("--subscribers", type=int, default=2000, help="take-over broadcast")
    parser.add_argument("--kill-after", type=int, default=500, help="deliveries before SIGKILL")
    run(parser.parse_args())
