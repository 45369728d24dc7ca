"""The terminal chat: the same engine, buttons as numbered choices."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.dialogue.engine import Engine
from bot.terminal import TerminalChat

REPO = Path(__file__).resolve().parents[2]


async def converse(engine: Engine, *lines: str) -> str:
    stdout = io.StringIO()
    chat = TerminalChat(engine.handle, io.StringIO("\n".join(lines) + "\n"), stdout)
    await chat.run(greet=engine.welcome())
    return stdout.getvalue()


async def test_buttons_are_numbered_and_a_number_presses_them(engine: Engine) -> None:
    output = await converse(engine, "4")  # the fourth menu button: Hilfe
    assert "[4] ℹ️ Hilfe" in output
    assert "So nutzen Sie Digilotse" in output


async def test_a_number_in_another_script_is_read_as_text_not_pressed(engine: Engine) -> None:
    """``"፩".isdigit()`` is true but ``int("፩")`` fails: it must not end the chat."""
    output = await converse(engine, "፩", "/hilfe")
    assert output.count("Sie> ") == 3
    assert "So nutzen Sie Digilotse" in output


async def test_answers_show_links_with_their_address(engine: Engine) -> None:
    output = await converse(engine, "Was regelt das Onlinezugangsgesetz?")
    assert "Quelle:" in output
    assert "(https://" in output
    assert "<b>" not in output


async def test_quit_ends_the_conversation(engine: Engine) -> None:
    output = await converse(engine, "/quit", "Was ist das OZG?")
    assert "Quelle:" not in output


def test_digilotse_chat_runs_as_a_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="Wie hoch ist der Voucher für Digitallotsen?\n/quit\n",
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), "DATABASE_URL": "sqlite+aiosqlite:///c.db"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Voucher" in result.stdout
    assert "Stand:" in result.stdout


async def test_attachments_are_written_to_the_named_folder(tmp_path: Path) -> None:
    """A report arrives as a file in the folder, and the chat names its path."""
    from bot.dialogue.types import Document, Incoming, Reply, Turn

    async def handle(incoming: Incoming) -> Turn:
        document = Document("../bericht.pdf", b"%PDF-1.7", "Bericht")
        return Turn(replies=(Reply("Ihr Bericht", document=document),))

    stdout = io.StringIO()
    await TerminalChat(handle, io.StringIO("fertig\n"), stdout, tmp_path / "berichte").run()
    written = tmp_path / "berichte" / "bericht.pdf"
    assert written.read_bytes() == b"%PDF-1.7"
    assert str(written) in stdout.getvalue()
