"""Retrieval speed and memory: index build, per-question latency, batch throughput, RSS.

Runs on the real knowledge base and on a synthetic base of 10 000 entries made by recombining
the real base's words (deterministic seed). Questions: the evaluation set (in and out of scope).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from knowledge.evaluation import load_question_set
from knowledge.loader import load_entries
from knowledge.retrieval import Retriever
from knowledge.schema import Entry

ROOT = Path(__file__).resolve().parent.parent
EVAL_PATH = ROOT / "tests" / "data" / "kb_eval.yaml"
SYNTHETIC_SIZE = 10_000
SEED = 20_260_101
ROUNDS = 5  # each question is asked this many times for the latency percentiles
COLD_RUNS = 5
COLD_QUESTION = "Was ist das OZG?"

T = TypeVar("T")


def main() -> None:
    """Print the retrieval figures for the real base and the synthetic base."""
    print(
        f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs (wall-clock figures suffer on a busy machine; CPU do less)"
    )
    entries = load_entries().entries
    questions = _questions()
    print(f"questions: {len(questions)} (from {EVAL_PATH.relative_to(ROOT)})")
    print(f"process RSS before building: {_rss_mb():.1f} MB")
    _bench_base("real base", entries, questions, builds=5)
    synthetic = synthetic_entries(entries, SYNTHETIC_SIZE, SEED)
    _bench_base("synthetic base", synthetic, questions, builds=1)
    _bench_cold_ask(COLD_RUNS)


def _questions() -> list[str]:
    question_set = load_question_set(EVAL_PATH)
    return [item.question for item in question_set.in_scope] + list(question_set.out_of_scope)


def _bench_base(
    label: str, entries: Sequence[Entry], questions: Sequence[str], builds: int
) -> None:
    print(f"\n-- {label}: {len(entries)} entries --")
    retriever, walls, cpus = _builds(entries, builds)
    print(
        f"index build: first {walls[0] * 1000:.0f} ms (CPU {cpus[0] * 1000:.0f} ms), "
        f"median {statistics.median(walls) * 1000:.0f} ms "
        f"(CPU {statistics.median(cpus) * 1000:.0f} ms), best {min(walls) * 1000:.0f} ms "
        f"over {builds}"
    )
    runs = [_timed(partial(retriever.decide, q))[1:] for _ in range(ROUNDS) for q in questions]
    wall, cpu = [r[0] for r in runs], [r[1] for r in runs]
    print(
        f"decide() per question: p50 {_ms(wall, 50)} ms, p99 {_ms(wall, 99)} ms, "
        f"max {max(wall) * 1000:.2f} ms (CPU p50 {_ms(cpu, 50)} ms, p99 {_ms(cpu, 99)} ms)"
    )
    start = time.perf_counter()
    for question in questions:
        retriever.decide(question)
    elapsed = time.perf_counter() - start
    print(f"batch: {len(questions) / elapsed:.0f} questions/s")
    print(f"process RSS: {_rss_mb():.1f} MB (peak {_peak_rss_mb():.1f} MB)")


def synthetic_entries(real: Sequence[Entry], count: int, seed: int) -> list[Entry]:
    """``count`` plausible German entries recombined from the words of ``real`` (deterministic)."""
    rng = random.Random(seed)
    words = sorted(
        {
            w
            for e in real
            for t in (e.title, *e.questions)
            for w in t.split()
            if len(w) > 3 and w.isalpha()
        }
    )
    questions = [q for e in real for q in e.questions]
    sentences = [s.strip() for e in real for s in e.answer.split(". ") if len(s) > 30]
    tags = sorted({tag for e in real for tag in e.tags})
    return [_synthetic(rng, real, n, words, questions, sentences, tags) for n in range(count)]


def _synthetic(
    rng: random.Random,
    real: Sequence[Entry],
    n: int,
    words: list[str],
    questions: list[str],
    sentences: list[str],
    tags: list[str],
) -> Entry:
    base = rng.choice(real)
    return base.model_copy(
        update={
            "id": f"syn-{n:05d}",
            "title": " ".join(rng.sample(words, 4))[:80],
            "questions": tuple(_mutate(rng, q, words) for q in rng.sample(questions, 5)),
            "answer": ". ".join(rng.sample(sentences, 3)),
            "detail": None,
            "tags": tuple(rng.sample(tags, 4)),
        }
    )


def _mutate(rng: random.Random, question: str, words: list[str]) -> str:
    """Replace about half of the longer words of a real question by random base words."""
    return " ".join(
        rng.choice(words) if len(w) > 3 and rng.random() < 0.5 else w for w in question.split()
    )


def _bench_cold_ask(runs: int) -> None:
    """``digilotse ask`` from a new process each time: start-up, imports, index, one answer."""
    command = [sys.executable, "-m", "bot.cli", "ask", COLD_QUESTION]
    walls: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - started)
    print(f"\n-- digilotse ask, cold ({runs} new processes) --")
    print("wall: " + ", ".join(f"{w:.2f} s" for w in walls) + f"; max {max(walls):.2f} s")


def _builds(entries: Sequence[Entry], count: int) -> tuple[Retriever, list[float], list[float]]:
    """The last of ``count`` index builds with every build's wall-clock and CPU seconds.

    Only one index stays alive, as in the bot, so the RSS printed after it is the bot's."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(count):
        retriever, wall, cpu = _timed(lambda: Retriever.build(entries))
        walls.append(wall)
        cpus.append(cpu)
    return retriever, walls, cpus


def _timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """Result, wall-clock seconds and CPU seconds of ``action()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _ms(values: Sequence[float], pct: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))] * 1000:.2f}"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return _peak_rss_mb()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
