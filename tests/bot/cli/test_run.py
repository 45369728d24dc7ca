"""The event loop ``digilotse run`` hands to python-telegram-bot."""

from __future__ import annotations

import sys

import pytest

from bot.cli.run import new_event_loop


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not built for Windows")
def test_the_bot_runs_on_uvloop_where_it_is_available() -> None:
    loop = new_event_loop()
    try:
        assert type(loop).__module__.startswith("uvloop")
        assert loop.run_until_complete(_answer()) == 42
    finally:
        loop.close()


async def _answer() -> int:
    return 42
