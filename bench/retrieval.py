"""Retrieval speed and memory: index build, per-question latency, batch throughput, RSS.

Runs on the real knowledge base and on a synthetic base of 10 000 entries made by recombining
the real base's words (deterministic seed). Questions: the evaluation set (in and out of scope).
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
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

T = TypeVar("T")


def main() -> None:
    """Print the retrieval figures for the real base and the synthetic base."""
    entries = load_entries().entries
    questions = _questions()
    print(f"questions: {len(questions)} (from {EVAL_PATH.relative_to(ROOT)})")
    print(f"process RSS before building: {_rss_mb():.1f} MB")
    _bench_base("real base", entries, questions, builds=5)
    synthetic = synthetic_entries(entries, SYNTHETIC_SIZE, SEED)
    _bench_base("synthetic base", synthetic, questions, builds=1)


def _questions() -> list[str]:
    question_set = load_question_set(EVAL_PATH)
    return [item.question for item in question_set.in_scope] + list(question_set.out_of_scope)


def _bench_base(
    label: str, entries: Sequence[Entry], questions: Sequence[str], builds: int
) -> None:
    print(f"\n-- {label}: {len(entries)} entries --")
    build_times = [_timed(lambda: Retriever.build(entries))[1] for _ in range(builds)]
    retriever, _ = _timed(lambda: Retriever.build(entries))
    print(
        f"index build: first {build_times[0] * 1000:.0f} ms, "
        f"median {statistics.median(build_times) * 1000:.0f} ms over {builds}"
    )
    latencies = [_latency(retriever, q) for _ in range(ROUNDS) for q in questions]
    print(
        f"decide() latency per question: p50 {_percentile(latencies, 50) * 1000:.2f} ms, "
        f"p99 {_percentile(latencies, 99) * 1000:.2f} ms, max {max(latencies) * 1000:.2f} ms"
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


def _timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def _latency(retriever: Retriever, question: str) -> float:
    start = time.perf_counter()
    retriever.decide(question)
    return time.perf_counter() - start


def _percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return _peak_rss_mb()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
