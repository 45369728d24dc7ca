"""Content reload figures: reload time at the real base and the latency other users see meanwhile.

Run with ``python -m bench reload [--runs N] [--copies K] [--edit]`` on a quiet machine;
``--copies`` adds K-1 clones of every entry (distinct ids, titles, numbered questions) to see how
it scales; ``--edit`` changes one entry's answer (a new word) before every reload, as an
editor's change does (the build process reuses what did not change, so this is the usual case).
Wires the engine as the bot does (live knowledge over a temporary SQLite file, embedded NLU) on
a copy of ``knowledge/kb`` and reloads it as ``/neuladen`` does: check and index in the build
process, unpickle in a worker thread, then one swap. RSS: the bot process's and the build
process's peak.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench._probe import PROBE_USER, probed
from bench._stats import percentile as _p
from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.features.knowledge.live import ContentReloader, close_build_pool
from bot.features.knowledge.loading import load_knowledge
from bot.settings import Settings
from bot.stores.bundle import Stores
from knowledge.content import load_checked
from knowledge.loader import KB_DIR
from nlu.embedded import EmbeddedNlu
from storage import Database

RUNS = 10


def _clone(kb_dir: Path, copies: int) -> None:
    """Write ``copies - 1`` clones of every file; a number per copy keeps questions distinct."""
    for path in sorted(KB_DIR.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for k in range(1, copies):
            clones = [_clone_entry(entry, k) for entry in entries]
            text = yaml.safe_dump(clones, allow_unicode=True, sort_keys=False)
            (kb_dir / f"{path.stem}-{k}.yaml").write_text(text, encoding="utf-8")


def _clone_entry(entry: dict[str, Any], k: int) -> dict[str, Any]:
    clone = {key: value for key, value in entry.items() if key != "related"}
    clone["id"] = f"{entry['id'][:32]}-k{k}"
    clone["title"] = f"{entry['title'][:72]} {k}"
    clone["questions"] = [f"{question} {k}" for question in entry["questions"]]
    return clone


def _edit(kb_dir: Path, run: int) -> None:
    """End the answer of the first entry of the first file with a word of this run's own."""
    path = sorted(kb_dir.glob("*.yaml"))[0]
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    word = "".join(chr(ord("a") + int(digit)) for digit in str(run))  # a word per run
    answer = re.sub(r" Lauf[a-j]+$", "", entries[0]["answer"].rstrip())  # the last run's word
    entries[0]["answer"] = f"{answer} Lauf{word}"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


async def _figures(directory: Path, runs: int, copies: int, edit: bool) -> None:
    kb_dir = directory / "kb"
    shutil.copytree(KB_DIR, kb_dir)
    _clone(kb_dir, copies)
    database = Database(f"sqlite+aiosqlite:///{directory / 'bench.sqlite3'}")
    await database.upgrade()
    stores = Stores.open(database, "bench", retention_days=90)
    settings = Settings(pseudonym_secret="bench", kb_dir=kb_dir)
    parts = EngineParts(
        settings, database, stores, load_texts(), EmbeddedNlu.load(), stores.questions
    )
    engine, content = wire_engine(parts, load_knowledge(kb_dir), seen=0)
    await stores.users.touch_user(PROBE_USER, PROBE_USER)
    reloads, during = await _reloads(engine, content, runs, kb_dir if edit else None)
    baseline = await probed(engine, None, sum(reloads) / 1000)
    close_build_pool()
    peaks = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
    cpu = _cpu_seconds(kb_dir, 3 if copies < 10 else 1)
    await stores.questions.close()
    await database.dispose()
    print(
        f"reload ({len(content.entries)} entries, check + index + swap + version row"
        f"{', one entry edited each time' if edit else ''}), "
        f"{len(reloads)} warm runs: p50 {_p(reloads, 0.5):.0f} ms, max {max(reloads):.0f} ms; "
        f"check + index alone: {min(cpu) * 1000:.0f} ms CPU (best of {len(cpu)})"
    )
    print(
        f"another user's question meanwhile: p50 {_p(during, 0.5):.1f} ms, "
        f"p99 {_p(during, 0.99):.1f} ms (n={len(during)}); without a reload: "
        f"p50 {_p(baseline, 0.5):.1f} ms, p99 {_p(baseline, 0.99):.1f} ms (n={len(baseline)}); "
        f"p99 added {_p(during, 0.99) - _p(baseline, 0.99):.1f} ms"
    )
    print(f"peak RSS: bot {peaks[0]} MB, build process {peaks[1]} MB")


def _peak_mb(who: int) -> int:
    return resource.getrusage(who).ru_maxrss // 1024  # Linux: kB


async def _reloads(
    engine: Engine, content: ContentReloader, runs: int, edit: Path | None
) -> tuple[list[float], list[float]]:
    reloads: list[float] = []
    during: list[float] = []
    for run in range(runs + 1):  # the first one is cold (imports), left out
        if edit is not None:
            _edit(edit, run)
        started = time.perf_counter()
        latencies = await probed(engine, asyncio.ensure_future(content.reload_everywhere()), 0)
        if run:
            reloads.append((time.perf_counter() - started) * 1000)
            during += latencies
    return reloads, during


def _cpu_seconds(kb_dir: Path, runs: int = 3) -> list[float]:
    """CPU time of loading, checking and indexing alone (independent of other load)."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        load_checked(kb_dir)
        times.append(time.process_time() - started)
    return times


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench reload")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--copies", type=int, default=1, help="the base this many times")
    parser.add_argument("--edit", action="store_true", help="edit one entry before each reload")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(_figures(Path(directory), args.runs, args.copies, args.edit))


if __name__ == "__main__":
    main()
