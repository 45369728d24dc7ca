"""Evaluate NLU backends on the held-back file ``tests/data/nlu_test.yml`` and compare them.

Figures per backend: intent accuracy and macro-F1, entity P/R/F1 (exact type + value), fallback
rate, p50/p99 latency per message, resident memory and start-up time. The embedded backend's
memory and start-up are measured in a fresh subprocess; Rasa's from its server process (pid file
of ``scripts/rasa serve``) and the start-up time that script records.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlu import metrics
from nlu.rasa_data import Example, load_files
from nlu.types import FALLBACK_INTENT, NluBackend, ParseResult

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_FILE = REPO_ROOT / "tests" / "data" / "nlu_test.yml"
RASA_RUN_DIR = Path(__file__).parent / "rasa" / "run"


@dataclass(frozen=True)
class Prediction:
    """One test example with what the backend answered and how long it took."""

    example: Example
    result: ParseResult
    seconds: float


@dataclass(frozen=True)
class Footprint:
    """Memory and start-up figures of a backend (None when not measurable)."""

    rss_mb: float | None = None
    startup_s: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Report:
    """The figures of one backend on one test set."""

    backend: str
    examples: int
    intent_accuracy: float
    intent_macro_f1: float
    entities: metrics.PRF
    fallback_rate: float
    latency_p50_ms: float
    latency_p99_ms: float
    footprint: Footprint
    errors: tuple[tuple[str, str, str], ...]


def load_test_examples(path: Path = TEST_FILE) -> list[Example]:
    """The held-back examples."""
    return load_files([path]).examples


async def predict(
    backend: NluBackend, examples: Sequence[Example], repeat: int = 3
) -> list[Prediction]:
    """Parse every example ``repeat`` times (after one warm-up call); keep the last answer."""
    await backend.parse("Hallo")
    predictions: list[Prediction] = []
    for example in examples:
        timings: list[float] = []
        result: ParseResult | None = None
        for _ in range(max(1, repeat)):
            start = time.perf_counter()
            result = await backend.parse(example.text)
            timings.append(time.perf_counter() - start)
        assert result is not None
        predictions.extend(Prediction(example, result, t) for t in timings[:-1])
        predictions.append(Prediction(example, result, timings[-1]))
    return predictions


def score(name: str, predictions: Sequence[Prediction], footprint: Footprint) -> Report:
    """Compute the report from predictions (repeats count once for quality, all for latency)."""
    unique = list({id(p.example): p for p in predictions}.values())
    gold = [p.example.intent for p in unique]
    predicted = [p.result.intent.name for p in unique]
    gold_entities = [[(a.entity, a.value) for a in p.example.entities] for p in unique]
    found = [[(e.entity, e.value) for e in p.result.entities] for p in unique]
    latencies = [p.seconds * 1000 for p in predictions]
    errors = tuple(
        (p.example.text, g, q) for p, g, q in zip(unique, gold, predicted, strict=True) if g != q
    )
    return Report(
        backend=name,
        examples=len(unique),
        intent_accuracy=metrics.accuracy(gold, predicted),
        intent_macro_f1=metrics.macro_f1(gold, predicted),
        entities=metrics.entity_prf(gold_entities, found),
        fallback_rate=sum(q == FALLBACK_INTENT for q in predicted) / max(1, len(predicted)),
        latency_p50_ms=metrics.percentile(latencies, 50),
        latency_p99_ms=metrics.percentile(latencies, 99),
        footprint=footprint,
        errors=errors,
    )


_FOOTPRINT_SCRIPT = """
import json, sys, tempfile, time
from pathlib import Path
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
before = rss()
start = time.perf_counter()
from nlu.embedded import EmbeddedNlu
with tempfile.TemporaryDirectory() as cache:
    EmbeddedNlu.load(cache_dir=Path(cache))
    cold = time.perf_counter() - start
    start = time.perf_counter()
    EmbeddedNlu.load(cache_dir=Path(cache))
    warm = time.perf_counter() - start
print(json.dumps({"rss_mb": rss() - before, "cold_s": cold, "warm_s": warm}))
"""


def embedded_footprint() -> Footprint:
    """Measure import + load in a fresh interpreter: RSS growth and cached start-up time."""
    try:
        out = subprocess.run(
            [sys.executable, "-c", _FOOTPRINT_SCRIPT],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return Footprint(note="footprint measurement failed")
    note = f"start-up with cache; cold (training) {figures['cold_s']:.2f} s; RSS = growth"
    return Footprint(figures["rss_mb"], figures["warm_s"], note)


def rasa_footprint(port: int, run_dir: Path = RASA_RUN_DIR) -> Footprint:
    """RSS of the server from its pid file, start-up time as recorded by ``scripts/rasa serve``."""
    pid_file = run_dir / f"rasa-{port}.pid"
    rss: float | None = None
    with contextlib.suppress(OSError, ValueError):
        rss = process_rss_mb(int(pid_file.read_text().strip()))
    startup: float | None = None
    with contextlib.suppress(OSError, ValueError):
        startup = float((run_dir / f"rasa-{port}.ready").read_text().strip())
    note = "" if rss is not None else f"no pid file {pid_file}"
    return Footprint(rss, startup, note)


def process_rss_mb(pid: int) -> float | None:
    """VmRSS of a process in MiB, from /proc (None when not readable)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def format_table(reports: Sequence[Report]) -> str:
    """Render the reports side by side as a plain-text table."""
    rows: list[tuple[str, list[str]]] = [
        ("examples", [str(r.examples) for r in reports]),
        ("intent accuracy", [f"{r.intent_accuracy:.1%}" for r in reports]),
        ("intent macro-F1", [f"{r.intent_macro_f1:.3f}" for r in reports]),
        ("entity precision", [f"{r.entities.precision:.3f}" for r in reports]),
        ("entity recall", [f"{r.entities.recall:.3f}" for r in reports]),
        ("entity F1", [f"{r.entities.f1:.3f}" for r in reports]),
        ("fallback rate", [f"{r.fallback_rate:.1%}" for r in reports]),
        ("latency p50 (ms)", [f"{r.latency_p50_ms:.3f}" for r in reports]),
        ("latency p99 (ms)", [f"{r.latency_p99_ms:.3f}" for r in reports]),
        ("RSS (MiB)", [_optional(r.footprint.rss_mb, "{:.0f}") for r in reports]),
        ("start-up (s)", [_optional(r.footprint.startup_s, "{:.3f}") for r in reports]),
    ]
    width = max(14, *(len(r.backend) for r in reports))
    lines = ["metric".ljust(20) + "".join(r.backend.rjust(width) for r in reports)]
    lines += [label.ljust(20) + "".join(v.rjust(width) for v in values) for label, values in rows]
    lines += [f"note ({r.backend}): {r.footprint.note}" for r in reports if r.footprint.note]
    return "\n".join(lines)


def format_errors(report: Report) -> str:
    """List the misclassified examples of one report."""
    lines = [f"{report.backend}: {len(report.errors)} intent errors"]
    lines += [f"  {gold:>14} -> {got:<14} {text}" for text, gold, got in report.errors]
    return "\n".join(lines)


def _optional(value: float | None, pattern: str) -> str:
    return "n/a" if value is None else pattern.format(value)
