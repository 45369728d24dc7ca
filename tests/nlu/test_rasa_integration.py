"""Integration with a REAL Rasa 3.6 server built, trained and served by scripts/rasa.

The session fixture installs Rasa into .venv-rasa and trains the model when needed (both are
skipped when already up to date), serves it on a free port and stops it at the end.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from nlu import evaluation
from nlu.embedded import EmbeddedNlu
from nlu.rasa_client import RasaNlu
from nlu.select import FallbackNlu, build_nlu
from nlu.types import FALLBACK_INTENT, INTENTS

pytestmark = pytest.mark.rasa

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "rasa"
MIN_RASA_ACCURACY = 0.85


def _script(command: str, env: dict[str, str], timeout: float = 600) -> None:
    proc = subprocess.run(
        [str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"scripts/rasa {command} failed:\n{proc.stderr[-4000:]}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RasaServer:
    """A Rasa server controlled through scripts/rasa."""

    url: str
    token: str
    env: dict[str, str]
    run_dir: Path
    port: int

    def start(self) -> None:
        _script("serve", self.env)

    def stop(self) -> None:
        _script("stop", self.env, timeout=60)


@pytest.fixture(scope="session")
def rasa_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for scripts/rasa with Rasa installed and the model trained."""
    port, run_dir = _free_port(), tmp_path_factory.mktemp("rasa-run")
    env = {
        **os.environ,
        "RASA_PORT": str(port),
        "RASA_TOKEN": secrets.token_hex(16),
        "RASA_PID_FILE": str(run_dir / f"rasa-{port}.pid"),
    }
    _script("install", env, timeout=1800)
    _script("train", env, timeout=1800)
    return env


@pytest.fixture(scope="session")
def rasa_server(rasa_env: dict[str, str]) -> Iterator[RasaServer]:
    """The served model for the whole session."""
    port = int(rasa_env["RASA_PORT"])
    server = RasaServer(
        f"http://127.0.0.1:{port}",
        rasa_env["RASA_TOKEN"],
        rasa_env,
        Path(rasa_env["RASA_PID_FILE"]).parent,
        port,
    )
    server.start()
    yield server
    server.stop()


def test_rasa_data_validate_accepts_config_domain_and_data(rasa_env: dict[str, str]) -> None:
    """`rasa data validate` passes on the NLU-only project."""
    _script("validate", rasa_env)


def _parse(server: RasaServer, text: str, token: str | None = None) -> httpx.Response:
    return httpx.post(
        f"{server.url}/model/parse",
        params={"token": token or server.token},
        json={"text": text},
        timeout=30,
    )


def test_parse_answers_in_the_shape_our_types_read(rasa_server: RasaServer) -> None:
    """Real Rasa output: known intent, sorted ranking, synonym-normalised entities."""
    payload = _parse(rasa_server, "Was passiert im dritten Baustein?").json()
    assert {"text", "intent", "intent_ranking", "entities"} <= set(payload)
    assert payload["intent"]["name"] in (*INTENTS, FALLBACK_INTENT)
    confidences = [s["confidence"] for s in payload["intent_ranking"]]
    assert confidences == sorted(confidences, reverse=True)
    assert [(e["entity"], e["value"]) for e in payload["entities"]] == [("baustein", "3")]


def test_parse_without_the_token_is_refused(rasa_server: RasaServer) -> None:
    """The API is never open without --auth-token."""
    assert _parse(rasa_server, "Hallo", token="wrong").status_code in (401, 403)


def test_intent_accuracy_on_the_held_back_file(rasa_server: RasaServer) -> None:
    """Rasa's DIET on tests/data/nlu_test.yml; the figures are printed for the log."""
    examples = evaluation.load_test_examples()
    rasa = RasaNlu(rasa_server.url, rasa_server.token, timeout=30)

    async def run() -> list[evaluation.Prediction]:
        try:
            return await evaluation.predict(rasa, examples, repeat=1)
        finally:
            await rasa.aclose()

    report = evaluation.score(
        "rasa",
        asyncio.run(run()),
        evaluation.rasa_footprint(rasa_server.port, rasa_server.run_dir),
    )
    print("\n" + evaluation.format_table([report]))
    assert report.intent_accuracy >= MIN_RASA_ACCURACY
    assert report.footprint.rss_mb is not None


async def test_bot_falls_back_while_rasa_is_down_and_recovers_after_restart(
    rasa_server: RasaServer, embedded: EmbeddedNlu
) -> None:
    """Through build_nlu, as the bot uses it: Rasa, then embedded while down, then Rasa again."""
    nlu = build_nlu(
        "rasa", rasa_server.url, rasa_server.token, embedded=embedded, timeout=5, cooldown=1
    )
    assert isinstance(nlu, FallbackNlu)
    text = "Was ist die DZK?"
    try:
        assert (await nlu.parse(text)).entities[0].extractor == "RegexEntityExtractor"
        await asyncio.to_thread(rasa_server.stop)
        while_down = await nlu.parse(text)
        assert while_down.intent.name == "ask_knowledge"
        assert while_down.entities[0].extractor == "embedded"
        await asyncio.to_thread(rasa_server.start)
        assert await _answered_by_rasa_within(nlu, text, seconds=60)
    finally:
        await nlu.aclose()


async def _answered_by_rasa_within(nlu: FallbackNlu, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = await nlu.parse(text)
        if result.entities and result.entities[0].extractor == "RegexEntityExtractor":
            return True
        await asyncio.sleep(0.5)
    return False
