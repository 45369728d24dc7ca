"""NLU benchmark: quality, latency, memory and start-up of the embedded backend and of Rasa.

Run with ``python -m bench`` (all benchmarks) or ``python -m bench.nlu``. Rasa is included when
``RASA_URL`` (and ``RASA_TOKEN``) point at a running server, e.g. after
``RASA_TOKEN=... scripts/rasa serve`` use ``RASA_URL=http://127.0.0.1:5005``.
"""

from __future__ import annotations

import os
import time

from nlu import metrics
from nlu.cli_impl import eval_command
from nlu.embedded import EmbeddedNlu

MESSAGES = {
    "short": "Hallo",
    "question": "Was passiert im dritten Baustein der Digitalen Zukunftskommune?",
    "typos": "Wie fördert das Land den Breitbandausbua für Digitallotsn?",
    "long (2000 chars)": ("Wir möchten wissen, wie wir als Gemeinde das OZG 2.0 umsetzen. " * 32),
}


def latency_table(runs: int = 2000) -> str:
    """p50/p99 of the embedded backend per message kind, in milliseconds."""
    nlu = EmbeddedNlu.load()
    lines = [f"{'message':<20}{'p50 ms':>10}{'p99 ms':>10}"]
    for name, text in MESSAGES.items():
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            nlu.parse_sync(text)
            samples.append((time.perf_counter() - start) * 1000)
        p50, p99 = metrics.percentile(samples, 50), metrics.percentile(samples, 99)
        lines.append(f"{name:<20}{p50:>10.3f}{p99:>10.3f}")
    return "\n".join(lines)


def main() -> None:
    """Print the side-by-side evaluation table and the embedded latency per message kind."""
    print("== NLU: held-back evaluation (python -m nlu eval)")
    eval_command(
        rasa_url=os.environ.get("RASA_URL"), rasa_token=os.environ.get("RASA_TOKEN"), repeat=10
    )
    print("\n== NLU: embedded latency by message kind")
    print(latency_table())


if __name__ == "__main__":
    main()
