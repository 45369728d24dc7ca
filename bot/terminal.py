"""The terminal adapter: the same engine as on Telegram, buttons shown as numbered choices."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot.dialogue import callbacks
from bot.dialogue.texts import to_plain
from bot.dialogue.types import Button, Document, Incoming, Turn

TERMINAL_USER_ID = 0
QUIT = {"/quit", "/exit", "/ende"}
PROMPT = "Sie> "

Handler = Callable[[Incoming], Awaitable[Turn]]


class TerminalChat:
    """Reads lines, passes them (or a chosen button) to the engine, prints the replies."""

    def __init__(
        self, handle: Handler, stdin: TextIO, stdout: TextIO, files: Path | None = None
    ) -> None:
        self._handle = handle
        self._stdin = stdin
        self._stdout = stdout
        self._files = files  # where attachments (chart, PDF report) are written
        self._choices: list[Button] = []

    async def run(self, greet: Turn | None = None) -> None:
        """Converse until end of input or ``/quit``."""
        if greet is not None:
            self._show(greet)
        while (line := await self._read()) is not None:
            line = line.strip()
            if line in QUIT:
                break
            if line:
                self._show(await self._handle(self._incoming(line)))

    def _incoming(self, line: str) -> Incoming:
        choice = callbacks.parse_int(line, 1, len(self._choices))
        if choice is not None:
            button = self._choices[choice - 1].data
            return Incoming(user_id=TERMINAL_USER_ID, chat_id=TERMINAL_USER_ID, button=button)
        return Incoming(user_id=TERMINAL_USER_ID, chat_id=TERMINAL_USER_ID, text=line)

    async def _read(self) -> str | None:
        self._stdout.write(PROMPT)
        self._stdout.flush()
        line = await asyncio.to_thread(self._stdin.readline)
        return line if line else None

    def _show(self, turn: Turn) -> None:
        self._choices = []
        if turn.toast:
            self._print(f"  ({turn.toast})")
        for reply in turn.replies:
            self._print("\n" + to_plain(reply.html))
            for attachment in (reply.document, reply.photo):
                if attachment is not None:
                    self._print(f"  [Datei: {self._save(attachment)}]")
            for row in reply.buttons:
                for button in row:
                    self._choices.append(button)
                    self._print(f"  [{len(self._choices)}] {button.label}")
        self._print("")

    def _save(self, attachment: Document) -> str:
        """Write the attachment into the files folder; return what to show."""
        if self._files is None:
            return f"{attachment.filename}, {len(attachment.content)} Bytes"
        self._files.mkdir(parents=True, exist_ok=True)
        path = self._files / Path(attachment.filename).name  # never a path from elsewhere
        path.write_bytes(attachment.content)
        return str(path)

    def _print(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()
