"""The command line imports only the module of the command it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import sys
from bot.cli import main
main(["ask", "Was ist das OZG?"])
heavy = ("telegram", "sqlalchemy", "bot.settings", "pydantic_settings")
print("loaded:", sorted(m for m in heavy if m in sys.modules))
"""


def test_ask_answers_without_importing_the_bot_or_the_database() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "loaded: []" in done.stdout
    assert "Onlinezugangsgesetz" in done.stdout  # it did answer


def test_the_overview_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    listed = capsys.readouterr().out
    assert all(name in listed for name in COMMANDS)


def test_an_unknown_command_is_refused_with_the_list_of_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser("nope").parse_args(["nope"])
    assert exited.value.code == 2
    assert "calls" in capsys.readouterr().err
