"""Digitalisierungs-Check figures: engine time per step (p50/p99) and result rendering time.

Run with ``python -m bench check``. Uses a temporary SQLite file and the real engine.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.core import build_engine, load_knowledge
from bot.dialogue.check_flow import build_check_feature
from bot.dialogue.check_message import result_message
from bot.dialogue.check_output import attachments
from bot.dialogue.check_result import Outcome, score_answers
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.persistence import StoragePorts
from knowledge.check.model import load_questionnaire
from nlu.embedded import EmbeddedNlu
from storage import Database

RUNS = 5


def _buttons(turn: Turn) -> dict[str, str]:
    return {b.label: b.data for reply in turn.replies for row in reply.buttons for b in row}


async def _play(engine: Engine, user: int, timings: list[float]) -> None:
    async def step(text: str | None = None, label: str | None = None) -> None:
        nonlocal shown
        button = None if label is None else next(d for t, d in shown.items() if t.endswith(label))
        started = time.perf_counter()
        turn = await engine.handle(Incoming(user, user, text=text, button=button))
        timings.append(time.perf_counter() - started)
        shown = _buttons(turn) or shown

    shown: dict[str, str] = {}
    await step("/check")
    await step("Musterhausen")
    for label in ("3.000 – 9.999", "Ja", "IT", "unter 0,5", *(["C"] * 30)):
        await step(label=label)
    await step(label="Fertig")
    await step(label="Stufe 3 – Etabliert")


async def _engine_figures(directory: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{directory / 'bench.sqlite3'}")
    await database.upgrade()
    ports = StoragePorts(database, "bench", retention_days=90)
    texts = load_texts()
    feature = build_check_feature(database, texts)
    engine = build_engine(load_knowledge(), EmbeddedNlu.load(), texts=texts, features=(feature,))
    timings: list[float] = []
    finishing: list[float] = []
    for user in range(1, RUNS + 1):
        await ports.touch_user(user, user)
        run: list[float] = []
        await _play(engine, user, run)
        timings += run[:-1]  # the last step renders the result: reported separately
        finishing.append(run[-1] * 1000)
    await database.dispose()
    steps = sorted(t * 1000 for t in timings)
    p99 = steps[min(len(steps) - 1, int(len(steps) * 0.99))]
    print(
        f"engine step (SQLite file, {len(steps)} steps in {RUNS} checks): "
        f"p50 {statistics.median(steps):.1f} ms, p99 {p99:.1f} ms; final step with result, "
        f"chart and report: median {statistics.median(finishing):.0f} ms"
    )


def _render_figures() -> None:
    questionnaire = load_questionnaire()
    answers: dict[str, int | None] = {q.id: i % 5 for i, q in enumerate(questionnaire.questions)}
    outcome = Outcome(
        questionnaire,
        score_answers(questionnaire, answers, 3),
        "Musterhausen",
        {"size": 1},
        answers,
        3,
        datetime.now(UTC),
    )
    texts = load_texts()
    for label in ("cold (imports matplotlib)", "warm"):
        started = time.perf_counter()
        result_message(outcome, texts)
        files = attachments(outcome, texts)
        elapsed = (time.perf_counter() - started) * 1000
        sizes = ", ".join(
            f"{len((r.photo or r.document).content) // 1024} KiB"
            for r in files
            if r.photo or r.document
        )
        print(f"result message + radar chart + report, {label}: {elapsed:.0f} ms ({sizes})")


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(_engine_figures(Path(directory)))
    _render_figures()


if __name__ == "__main__":
    main()
