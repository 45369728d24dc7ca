"""Broadcast figures: ``digilotse run`` against the Telegram stand-in (30 msg/s, like Telegram).

Prints achieved messages/s as a share of the configured pace (target ≥ 95 %), 429s received
(target 0 at the default pace), duplicates after a kill -9 part-way, and database growth.

    .venv/bin/python -m bench.broadcast --subscribers 10000 --pace 25
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.e2e.broadcast_scenario import Outcome, run
from tests.telegram_standin import StandinServer


def _figures(label: str, outcome: Outcome, subscribers: int, blocked: int, pace: float) -> None:
    attempted = subscribers  # every row costs one request (blocked ones get a 403)
    rate = attempted / outcome.seconds
    duplicates = sum(outcome.delivered.values()) - len(outcome.delivered)
    print(f"[{label}] {subscribers} subscribers ({blocked} blocked), pace {pace:g}/s")
    share = 100 * rate / pace
    print(f"  time {outcome.seconds:.1f} s, achieved {rate:.2f} msg/s = {share:.1f} % of pace")
    print(f"  429s received: {outcome.too_many_requests}")
    print(f"  delivered to {len(outcome.delivered)} chats, duplicates {duplicates}")
    print(f"  database growth {outcome.db_growth_bytes / 1024:.0f} KiB "
          f"({outcome.db_growth_bytes / subscribers:.0f} B per recipient)")  # fmt: skip


def main() -> None:
    """Run the clean broadcast and the kill -9 broadcast, print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--blocked", type=int, default=100)
    parser.add_argument("--pace", type=float, default=25.0)
    parser.add_argument("--limit", type=float, default=30.0, help="stand-in msg/s")
    parser.add_argument("--skip-kill", action="store_true")
    args = parser.parse_args()
    timeout = 3 * args.subscribers / args.pace + 120
    runs = [("clean", None)] + ([] if args.skip_kill else [("kill -9", args.subscribers // 2)])
    for label, kill_after in runs:
        with StandinServer(rate_limit=args.limit) as standin, tempfile.TemporaryDirectory() as tmp:
            outcome = run(
                standin, Path(tmp), subscribers=args.subscribers, blocked=args.blocked,
                pace=args.pace, kill_after=kill_after, timeout=timeout,
            )  # fmt: skip
        _figures(label, outcome, args.subscribers, args.blocked, args.pace)


if __name__ == "__main__":
    main()
