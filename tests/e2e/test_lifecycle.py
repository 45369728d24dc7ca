"""Start-up, crash and restart, webhook mode and configuration errors of ``digilotse run``."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import TOKEN
from tests.e2e.harness import REPO, BotProcess
from tests.telegram_standin import StandinServer, post_update

pytestmark = pytest.mark.e2e


@pytest.fixture
def fresh_standin() -> Iterator[StandinServer]:
    """A stand-in of this test's own (no module sharing)."""
    with StandinServer(token=TOKEN) as server:
        yield server


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until_logged(database: Path, count: int, timeout: float = 10.0) -> None:
    """Wait until the bot's question log holds ``count`` rows."""
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(database) as connection:
            (logged,) = connection.execute("SELECT count(*) FROM question_log").fetchone()
        if logged >= count:
            return
        assert time.monotonic() < deadline, f"{logged} of {count} questions logged"
        time.sleep(0.05)


def test_kill_9_and_restart_loses_nothing(fresh_standin: StandinServer, tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    bot = BotProcess(fresh_standin, f"sqlite+aiosqlite:///{database}", log_path=tmp_path / "log")
    bot.start()
    try:
        fresh_standin.inject_message(7, "Was ist das Onlinezugangsgesetz?")
        fresh_standin.wait_for_message(7, contains="Quelle")
        # The question log is written in batches; kill -9 may lose only the last FLUSH_DELAY_S,
        # so the kill comes once the batch is in the database.
        _until_logged(database, 1)
        bot.kill()
        since = len(fresh_standin.sent)
        fresh_standin.inject_message(7, "Wie hoch ist der Voucher für Digitallotsen?")
        bot.restart()
        fresh_standin.wait_for_message(7, contains="Quelle", since=since)
    finally:
        bot.stop()
    with sqlite3.connect(database) as connection:
        users = connection.execute("SELECT count(*) FROM users").fetchone()
        questions = connection.execute("SELECT count(*) FROM question_log").fetchone()
    assert users == (1,)
    assert questions == (2,)  # the second one was written when the bot was stopped (SIGTERM)


def test_webhook_mode_checks_the_secret_token(fresh_standin: StandinServer, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = BotProcess(
        fresh_standin,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        log_path=tmp_path / "log",
        extra_env={
            "WEBHOOK_URL": url,
            "WEBHOOK_SECRET": "s3cret-token",
            "WEBHOOK_PORT": str(port),
        },
        args=("--webhook",),
    )
    bot.start(wait=False)
    try:
        fresh_standin.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
        fresh_standin.inject_command(8, "/start")
        fresh_standin.wait_for_message(8, contains="Digilotse", timeout=15)
        forged = {
            "update_id": 999_999,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/start",
                "chat": {"id": 8, "type": "private"},
                "from": {"id": 8, "is_bot": False, "first_name": "X"},
            },
        }
        assert post_update(url, forged, secret_token="wrong").status_code == 403
        assert post_update(url, forged).status_code == 403
    finally:
        bot.stop()


def test_webhook_mode_serves_health_readiness_and_metrics(
    fresh_standin: StandinServer, tmp_path: Path
) -> None:
    """/healthz, /readyz and /metrics answer beside the update path; metrics count updates."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bot = BotProcess(
        fresh_standin,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        log_path=tmp_path / "log",
        extra_env={
            "WEBHOOK_URL": f"{base}/telegram",
            "WEBHOOK_SECRET": "s3cret-token",
            "WEBHOOK_PORT": str(port),
        },
        args=("--webhook",),
    )
    bot.start(wait=False)
    try:
        fresh_standin.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
        fresh_standin.inject_command(8, "/start")
        fresh_standin.wait_for_message(8, contains="Digilotse", timeout=15)
        assert httpx.get(f"{base}/healthz").status_code == 200
        ready = httpx.get(f"{base}/readyz")
        metrics = httpx.get(f"{base}/metrics").text
    finally:
        bot.stop()
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"ready": True, "problems": []}
    assert 'digilotse_updates_total{kind="command"} 1.0' in metrics
    assert "digilotse_update_seconds_count 1.0" in metrics
    assert "digilotse_rasa_circuit_open 0.0" in metrics
    assert "digilotse_leader 1.0" in metrics  # one process on SQLite: it leads
    assert 'digilotse_questions_total{outcome="answer"}' not in metrics  # /start is no question
    assert "s3cret" not in metrics


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        pytest.param({}, "TELEGRAM_BOT_TOKEN", id="missing-token"),
        pytest.param({"TELEGRAM_BOT_TOKEN": "1:x", "ADMIN_IDS": "abc"}, "ADMIN_IDS", id="admins"),
        pytest.param(
            {"TELEGRAM_BOT_TOKEN": "1:x", "NLU_BACKEND": "gpt"}, "NLU_BACKEND", id="nlu-backend"
        ),
        pytest.param({"TELEGRAM_BOT_TOKEN": "1:x"}, "PSEUDONYM_SECRET", id="development-secret"),
    ],
)
def test_configuration_errors_exit_2_with_one_line(
    tmp_path: Path, environment: dict[str, str], message: str
) -> None:
    unset = ("TELEGRAM_BOT_TOKEN", "ADMIN_IDS", "PSEUDONYM_SECRET", "DIGILOTSE_TEST_MODE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO), **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
