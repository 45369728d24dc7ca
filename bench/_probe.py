"""Another user asking while work runs (the check and reload benches)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming

PROBE_USER = 10_000
PROBE_INTERVAL_S = 0.02
PROBE_QUESTION = "Was ist das Onlinezugangsgesetz?"


async def _probe(engine: Engine, stop: asyncio.Event, latencies: list[float]) -> None:
    """Another user asking a question every PROBE_INTERVAL_S until ``stop``."""
    while not stop.is_set():
        started = time.perf_counter()
        await engine.handle(Incoming(PROBE_USER, PROBE_USER, text=PROBE_QUESTION))
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(PROBE_INTERVAL_S)


async def probed(
    engine: Engine, work: Awaitable[object] | None, seconds: float = 0.0
) -> list[float]:
    """The probe's latencies (ms) while ``work`` runs, or for ``seconds`` without work."""
    stop = asyncio.Event()
    latencies: list[float] = []
    probe = asyncio.create_task(_probe(engine, stop, latencies))
    if work is None:
        await asyncio.sleep(seconds)
    else:
        await work
    stop.set()
    await probe
    return latencies
