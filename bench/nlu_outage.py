"""NLU latency while the real Rasa server crashes and comes back (issue 6).

Serves the real Rasa 3.6 model (``scripts/rasa serve``) on a free loopback port and sends a
steady stream of German test messages (``tests/data/nlu_test.yml``, each message its own task, as
the bot handles concurrent users) through ``build_nlu("rasa", url, token)`` with the bot's
defaults. Phases: (1) Rasa up, (2) Rasa SIGKILLed, (3) Rasa starting again until ``GET /``
answers, (4) Rasa up again. Rows are grouped by phase and by the circuit state when the message
was sent. Before that, the same stream runs against the embedded backend alone ("normal latency").

Which backend answered is observed by handing ``build_nlu`` an embedded backend that notes when it
is asked: the fallback is asked exactly when Rasa gave no answer. Rasa is stopped at the end, also
on errors. Skipped when ``.venv-rasa`` or the trained model is missing.

``python -m bench nlu_outage [--rate 20] [--seconds 10] [--down 5]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from nlu import evaluation, metrics
from nlu.embedded import EmbeddedNlu
from nlu.select import FallbackNlu, build_nlu
from nlu.types import NluBackend, ParseResult

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "rasa"
TIMEOUT = 0.8  # build_nlu's default Rasa timeout (the bot uses the defaults)
COOLDOWN = 30.0  # build_nlu's default circuit cool-down
MAX_SECONDS = 420  # hard bound for the whole scenario

T = TypeVar("T")


_FALLBACK_ASKED: ContextVar[list[bool] | None] = ContextVar("_FALLBACK_ASKED", default=None)


class ObservedEmbedded(EmbeddedNlu):
    """The embedded backend, noting on the current message (task) that it was asked."""

    async def parse(self, text: str) -> ParseResult:
        """Note the call, then parse as usual."""
        asked = _FALLBACK_ASKED.get()
        if asked is not None:
            asked.append(True)
        return await super().parse(text)


@dataclass(frozen=True)
class Sample:
    """One message: phase (and circuit state) at sending, timing, who answered."""

    phase: str
    sent: float
    done: float
    via_rasa: bool

    @property
    def latency(self) -> float:
        """Seconds from the parse call to its result."""
        return self.done - self.sent


@dataclass
class Stream:
    """Sends ``rate`` messages per second, each as its own task, labelled with the phase."""

    nlu: NluBackend
    texts: Sequence[str]
    rate: float
    phase: str = ""
    samples: list[Sample] = field(default_factory=list)
    max_lag: float = 0.0
    cpu_busy: dict[str, float] = field(default_factory=dict)
    _cpu_mark: tuple[int, int] = (0, 0)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def set_phase(self, phase: str) -> None:
        """Start the next phase; note the machine's CPU use (all cores) in the one ending."""
        now = _cpu_times()
        if self.phase:
            busy, total = (now[0] - self._cpu_mark[0]), (now[1] - self._cpu_mark[1])
            self.cpu_busy[self.phase] = 100 * busy / max(total, 1)
        self.phase, self._cpu_mark = phase, now

    def label(self) -> str:
        """The phase plus the circuit state (when the backend has a circuit)."""
        if isinstance(self.nlu, FallbackNlu):
            return f"{self.phase} [{self.nlu.primary.breaker.state.value}]"
        return self.phase

    async def run(self) -> None:
        """Send until cancelled, on a fixed schedule (no catching up after a stall)."""
        start = time.perf_counter()
        for i, text in enumerate(itertools.cycle(self.texts)):
            due = start + i / self.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            self.max_lag = max(self.max_lag, time.perf_counter() - due)
            task = asyncio.create_task(self._one(text, self.label()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _one(self, text: str, phase: str) -> None:
        asked: list[bool] = []
        _FALLBACK_ASKED.set(asked)  # this task's own context
        sent = time.perf_counter()
        await self.nlu.parse(text)
        self.samples.append(Sample(phase, sent, time.perf_counter(), not asked))

    async def drain(self) -> None:
        """Wait for the messages still in flight."""
        await asyncio.gather(*self._tasks)


@contextlib.asynccontextmanager
async def streaming(stream: Stream) -> AsyncIterator[Stream]:
    """Run ``stream`` in the background for the duration of the block."""
    sender = asyncio.create_task(stream.run())
    try:
        yield stream
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
        await stream.drain()


@dataclass
class Timeline:
    """When things happened (``time.perf_counter`` seconds)."""

    killed: float = 0.0
    serve_started: float = 0.0
    ready: float = 0.0
    first_rasa: float | None = None


@dataclass(frozen=True)
class RasaServer:
    """The server controlled through scripts/rasa on its own port and pid file."""

    port: int
    token: str
    pid_file: Path

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Environment for scripts/rasa."""
        return {
            **os.environ,
            "RASA_PORT": str(self.port),
            "RASA_TOKEN": self.token,
            "RASA_PID_FILE": str(self.pid_file),
            "RASA_SERVE_TIMEOUT": "180",
        }

    def serve(self) -> None:
        """Start the server and wait until it answers."""
        subprocess.run([str(SCRIPT), "serve"], env=self.env, check=True, timeout=240)

    async def serve_in_background(self) -> None:
        """:meth:`serve` without blocking the event loop; cancelling it ends the script."""
        script = await asyncio.create_subprocess_exec(str(SCRIPT), "serve", env=self.env)
        try:
            if await script.wait() != 0:
                raise RuntimeError("scripts/rasa serve failed")
        finally:
            if script.returncode is None:  # cancelled: the server itself is left to stop()
                script.kill()
                await script.wait()

    def stop(self) -> None:
        """Stop the server (quietly when it is not running)."""
        subprocess.run([str(SCRIPT), "stop"], env=self.env, check=False, timeout=60)

    def kill(self) -> None:
        """SIGKILL the server process and its descendants: a crash, no clean shutdown."""
        pid = int(self.pid_file.read_text())
        for victim in [pid, *_descendants(pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)

    async def wait_ready(self, deadline: float) -> float:
        """Poll ``GET /`` every 50 ms; return the time of the first 200."""
        async with httpx.AsyncClient(timeout=0.5) as client:
            while time.perf_counter() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.url + "/")).status_code == 200:
                        return time.perf_counter()
                await asyncio.sleep(0.05)
        raise TimeoutError("Rasa did not become ready again")


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in map(int, (task / "children").read_text().split()):
                found += [child, *_descendants(child)]
    return found


def _cpu_times() -> tuple[int, int]:
    """Busy and total jiffies of all cores since boot (``/proc/stat``)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _texts() -> list[str]:
    texts = [example.text for example in evaluation.load_test_examples()]
    random.Random(6).shuffle(texts)
    return texts


async def embedded_baseline(embedded: EmbeddedNlu, rate: float, seconds: float) -> Stream:
    """The same stream against the embedded backend alone."""
    stream = Stream(build_nlu("embedded", embedded=embedded), _texts(), rate)
    async with streaming(stream):
        stream.set_phase("0 embedded only")
        await asyncio.sleep(seconds)
        stream.set_phase("")
    return stream


async def outage(
    server: RasaServer, embedded: EmbeddedNlu, args: argparse.Namespace
) -> tuple[Stream, Timeline]:
    """Phases 1–4 against the running server; the server is running again afterwards."""
    nlu = build_nlu("rasa", server.url, server.token, embedded=embedded)
    assert isinstance(nlu, FallbackNlu)
    stream, timeline = Stream(nlu, _texts(), args.rate), Timeline()
    try:
        for text in stream.texts[:20]:  # warm-up (Rasa's first inferences), not measured
            await nlu.parse(text)
        async with streaming(stream):
            await _phases(server, stream, timeline, args)
    finally:
        await nlu.aclose()
    return stream, timeline


async def _phases(
    server: RasaServer, stream: Stream, timeline: Timeline, args: argparse.Namespace
) -> None:
    stream.set_phase("1 Rasa up")
    await asyncio.sleep(args.seconds)
    server.kill()
    timeline.killed = time.perf_counter()
    stream.set_phase("2 Rasa killed")
    await asyncio.sleep(args.down)
    timeline.serve_started = time.perf_counter()
    stream.set_phase("3 Rasa starting")
    serving = asyncio.create_task(server.serve_in_background())
    timeline.ready = await server.wait_ready(time.perf_counter() + 200)
    stream.set_phase("4 Rasa up again")
    timeline.first_rasa = await _first_rasa_answer(stream, timeline.ready, COOLDOWN + 30)
    await serving
    await asyncio.sleep(args.seconds)
    stream.set_phase("")


async def _first_rasa_answer(stream: Stream, after: float, seconds: float) -> float | None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        answers = [s.done for s in stream.samples if s.via_rasa and s.done >= after]
        if answers:
            return min(answers)
        await asyncio.sleep(0.05)
    return None


def table(samples: Sequence[Sample], cpu_busy: dict[str, float]) -> str:
    """Per phase (in order of appearance): count, who answered, latency, timeout waits, and
    the machine's CPU use during the whole phase."""
    head = f"{'phase [circuit at send]':<34}{'n':>5}{'Rasa':>6}{'fallb.':>7}"
    lines = [head + f"{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'>=timeout':>10}{'cpu %':>7}"]
    for phase in dict.fromkeys(s.phase for s in samples):
        group = [s for s in samples if s.phase == phase]
        ms = [1000 * s.latency for s in group]
        rasa = sum(s.via_rasa for s in group)
        slow = sum(s.latency >= 0.9 * TIMEOUT for s in group)
        p50, p99 = metrics.percentile(ms, 50), metrics.percentile(ms, 99)
        lines.append(
            f"{phase:<34}{len(group):>5}{rasa:>6}{len(group) - rasa:>7}"
            f"{p50:>9.2f}{p99:>9.2f}{max(ms):>9.2f}{slow:>10}"
            f"{cpu_busy.get(phase.split(' [')[0], float('nan')):>7.0f}"
        )
    return "\n".join(lines)


def report(baseline: Stream, stream: Stream, timeline: Timeline, args: argparse.Namespace) -> None:
    """Print the table and the timeline."""
    print(f"\nrate {args.rate:g} msg/s; Rasa timeout {TIMEOUT} s, circuit 3 failures/{COOLDOWN} s")
    print(table(baseline.samples + stream.samples, baseline.cpu_busy | stream.cpu_busy))
    since = timeline.killed
    print(
        f"\nkilled at 0.00 s; restart begun at {timeline.serve_started - since:.2f} s; "
        f"ready (GET / = 200) at {timeline.ready - since:.2f} s"
    )
    if timeline.first_rasa is None:
        print(f"NO answer from Rasa within {COOLDOWN + 30:g} s after readiness")
    else:
        print(f"first answer from Rasa {timeline.first_rasa - timeline.ready:.2f} s after ready")
    outage_samples = [s for s in stream.samples if s.sent >= since]
    waits = sum(s.latency >= 0.9 * TIMEOUT for s in outage_samples)
    print(f"messages from the kill on that waited >= 0.9 x timeout: {waits}")
    print(f"max sender lag: {1000 * max(baseline.max_lag, stream.max_lag):.1f} ms")


def _ready_to_run() -> bool:
    model = subprocess.run([str(SCRIPT), "model"], capture_output=True, text=True, check=True)
    if (ROOT / ".venv-rasa" / "bin" / "rasa").exists() and Path(model.stdout.strip()).exists():
        return True
    print("skipped: needs .venv-rasa and a trained model (scripts/rasa install && train)")
    return False


def main() -> None:
    """Serve Rasa, run the phases, print the figures, stop Rasa."""
    parser = argparse.ArgumentParser(description="NLU latency while Rasa crashes and restarts")
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of phases 0, 1, 4")
    parser.add_argument("--down", type=float, default=5.0, help="seconds from kill to restart")
    args = parser.parse_args()
    if not _ready_to_run():
        return
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average: {load} on {os.cpu_count()} CPUs")
    embedded = ObservedEmbedded.load()
    baseline = asyncio.run(embedded_baseline(embedded, args.rate, args.seconds))
    with tempfile.TemporaryDirectory() as run_dir:
        port = _free_port()
        server = RasaServer(port, secrets.token_hex(16), Path(run_dir) / f"rasa-{port}.pid")
        try:
            server.serve()
            stream, timeline = asyncio.run(_bounded(outage(server, embedded, args)))
        finally:
            server.stop()
    report(baseline, stream, timeline, args)


async def _bounded(scenario: Coroutine[Any, Any, T]) -> T:
    async with asyncio.timeout(MAX_SECONDS):
        return await scenario


if __name__ == "__main__":
    main()
