"""Fixtures for end-to-end tests: a stand-in Telegram API and the bot as a subprocess.

The bot process is shared per module (start-up is the slow part); tests use distinct user ids
so they do not see each other's conversations.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.e2e.harness import BotProcess
from tests.telegram_standin import StandinServer

ADMIN_ID = 900_001
TOKEN = "123456:E2E-TEST-TOKEN"
_user_ids = itertools.count(1000)


@pytest.fixture(scope="module")
def standin() -> Iterator[StandinServer]:
    """A stand-in Telegram Bot API on a free loopback port."""
    with StandinServer(token=TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def bot_process(
    standin: StandinServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """The bot polling ``standin`` with its own SQLite file; stopped after the module."""
    directory = tmp_path_factory.mktemp("bot")
    process = BotProcess(
        standin,
        f"sqlite+aiosqlite:///{directory / 'bot.sqlite3'}",
        log_path=directory / "bot.log",
        extra_env={"ADMIN_IDS": str(ADMIN_ID)},
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture
def user_id() -> int:
    """A Telegram user id no other test uses."""
    return next(_user_ids)
