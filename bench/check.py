"""Digitalisierungs-Check figures: engine time per step, the final step (result message, chart,
HTML and PDF report) p50/p99, and the latency other users see while results render.

Run with ``python -m bench check [--runs N]`` on a quiet machine. Uses a temporary SQLite file
and the real engine; the final step renders off the event loop (``asyncio.to_thread``).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench._probe import PROBE_USER, probed
from bench._stats import percentile
from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.features.knowledge.loading import load_knowledge
from bot.settings import Settings
from bot.stores.bundle import Stores
from nlu.embedded import EmbeddedNlu
from storage import Database

RUNS = 12
TARGET = "Stufe 3 – Etabliert"
FINAL = "Nein, alle gleich"  # same target for every field: the last step renders the result


def _buttons(turn: Turn) -> dict[str, str]:
    return {b.label: b.data for reply in turn.replies for row in reply.buttons for b in row}


async def _to_final(engine: Engine, user: int, timings: list[float]) -> str:
    """Play a whole check up to its last button; return that button's data."""
    shown: dict[str, str] = {}

    async def step(text: str | None = None, label: str | None = None) -> None:
        nonlocal shown
        button = None if label is None else next(d for t, d in shown.items() if t.endswith(label))
        started = time.perf_counter()
        turn = await engine.handle(Incoming(user, user, text=text, button=button))
        timings.append(time.perf_counter() - started)
        shown = _buttons(turn) or shown

    await step("/check")
    await step("Musterhausen")
    for label in ("3.000 – 9.999", "Ja", "IT", "unter 0,5", *(["C"] * 30)):
        await step(label=label)
    await step(label="Fertig")
    await step(label=TARGET)
    return next(d for t, d in shown.items() if t.endswith(FINAL))


async def _final_with_probe(engine: Engine, user: int, button: str) -> tuple[float, list[float]]:
    """The final step's milliseconds, and the probe's latencies meanwhile."""
    elapsed: list[float] = []

    async def final() -> None:
        started = time.perf_counter()
        turn = await engine.handle(Incoming(user, user, button=button))
        elapsed.append((time.perf_counter() - started) * 1000)
        assert any(r.document and r.document.filename.endswith(".pdf") for r in turn.replies)

    latencies = await probed(engine, final())
    return elapsed[0], latencies


async def _figures(directory: Path, runs: int) -> None:
    database = Database(f"sqlite+aiosqlite:///{directory / 'bench.sqlite3'}")
    await database.upgrade()
    stores = Stores.open(database, "bench", retention_days=90)
    settings = Settings(pseudonym_secret="bench")
    parts = EngineParts(
        settings, database, stores, load_texts(), EmbeddedNlu.load(), stores.questions
    )
    engine, _ = wire_engine(parts, load_knowledge(), seen=0)  # every feature, as in the bot
    await stores.users.touch_user(PROBE_USER, PROBE_USER)
    steps: list[float] = []
    finals: list[float] = []
    during: list[float] = []
    for user in range(1, runs + 2):  # the first run is the cold one (imports), reported apart
        await stores.users.touch_user(user, user)
        button = await _to_final(engine, user, steps)
        elapsed, latencies = await _final_with_probe(engine, user, button)
        if user == 1:
            print(f"final step, cold (imports matplotlib and WeasyPrint): {elapsed:.0f} ms")
            continue
        finals.append(elapsed)
        during += latencies
    baseline = await probed(engine, None, sum(finals) / 1000)
    await stores.questions.close()
    await database.dispose()
    step_ms = [t * 1000 for t in steps]
    print(
        f"engine step ({len(step_ms)} steps): "
        f"p50 {percentile(step_ms, 0.5):.1f} ms, p99 {percentile(step_ms, 0.99):.1f} ms"
    )
    print(
        f"final step with result message, chart (PNG + SVG), HTML and PDF, "
        f"{len(finals)} warm runs: "
        f"p50 {percentile(finals, 0.5):.0f} ms, p99 {percentile(finals, 0.99):.0f} ms, all: "
        + ", ".join(f"{f:.0f}" for f in finals)
    )
    print(
        f"another user's question meanwhile: "
        f"p50 {percentile(during, 0.5):.1f} ms, p99 {percentile(during, 0.99):.1f} ms "
        f"(n={len(during)}); without a result rendering: p50 {percentile(baseline, 0.5):.1f} ms, "
        f"p99 {percentile(baseline, 0.99):.1f} ms (n={len(baseline)}); p99 added "
        f"{percentile(during, 0.99) - percentile(baseline, 0.99):.1f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench check")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(_figures(Path(directory), args.runs))


if __name__ == "__main__":
    main()
