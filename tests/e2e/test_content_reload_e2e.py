"""Content changes without a restart, through the Telegram stand-in and a real bot process."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.dialogue.texts import load_texts
from tests.bot import kb_copy
from tests.e2e.conftest import ADMIN_ID, TOKEN
from tests.e2e.harness import REPO, BotProcess
from tests.telegram_standin import StandinServer

pytestmark = pytest.mark.e2e

USER = 4242
POLL_SECONDS = 0.3


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    """A stand-in of this test's own."""
    with StandinServer(token=TOKEN) as server:
        yield server


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """The content the bot reads, copied so the test can edit it."""
    return kb_copy.copy_kb(tmp_path)


@pytest.fixture
def bot(standin: StandinServer, kb_dir: Path, tmp_path: Path) -> Iterator[BotProcess]:
    """The bot reading ``kb_dir`` and polling the content version every 0.3 s."""
    process = BotProcess(
        standin,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        log_path=tmp_path / "bot.log",
        extra_env={
            "ADMIN_IDS": str(ADMIN_ID),
            "KB_DIR": str(kb_dir),
            "CONTENT_POLL_SECONDS": str(POLL_SECONDS),
        },
    )
    process.start()
    yield process
    process.stop()


def ask(standin: StandinServer, chat: int, text: str) -> str:
    """Send ``text`` and return the HTML of the bot's first reply to it."""
    since = len(standin.sent)
    standin.inject_message(chat, text)
    return standin.wait_for_message(chat, since=since).text or ""


def wait_for_log(bot: BotProcess, text: str, timeout: float = 30.0) -> None:
    """Block until the bot logged ``text`` (the reload runs in the bot, after its next poll)."""
    deadline = time.monotonic() + timeout
    while text not in bot.log():
        if time.monotonic() > deadline:
            raise TimeoutError(f"bot did not log {text!r}:\n{bot.log()}")
        time.sleep(0.05)


def test_kb_reload_then_a_broken_neuladen_without_a_restart(
    standin: StandinServer, bot: BotProcess, kb_dir: Path
) -> None:
    """kb reload brings a new entry to users; a broken file is refused and names its line."""
    abstain = load_texts()["abstain"][:30]
    assert abstain in ask(standin, USER, kb_copy.NEW_QUESTION)
    kb_copy.add_entry(kb_dir)

    signal = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "reload"],
        cwd=REPO,
        env=bot.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert signal.returncode == 0, signal.stdout + signal.stderr
    wait_for_log(bot, "content reloaded")
    assert kb_copy.NEW_ANSWER in ask(standin, USER, kb_copy.NEW_QUESTION)

    kb_copy.break_yaml(kb_dir)
    refused = ask(standin, ADMIN_ID, "/neuladen")

    assert f"<code>{kb_copy.NEW_FILE}:{kb_copy.BROKEN_LINE}</code>" in refused
    assert kb_copy.NEW_ANSWER in ask(standin, USER + 1, kb_copy.NEW_QUESTION)
    assert bot.process is not None
    assert bot.process.poll() is None
