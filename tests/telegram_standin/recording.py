"""What the stand-in records about the bot's calls, and blocking waits on those records."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: Methods that put a message into a chat (counted by the rate limit and by ``wait_for_message``).
SEND_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})


@dataclass(frozen=True)
class SentFile:
    """A file the bot uploaded (or re-sent by file_id)."""

    file_id: str
    file_unique_id: str
    filename: str
    mime_type: str
    content: bytes


@dataclass(frozen=True)
class SentCall:
    """One Bot API call the bot made (getUpdates polls are only counted in ``stats``)."""

    method: str
    chat_id: int | str | None
    params: dict[str, Any]
    timestamp: float
    status: int
    error: str | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        """True when the stand-in accepted the call."""
        return self.status == 200

    @property
    def text(self) -> str | None:
        """The text or caption as the bot sent it (HTML source when parse_mode=HTML)."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None

    @property
    def plain_text(self) -> str | None:
        """The text/caption as Telegram would store it (entities parsed), for accepted calls."""
        if isinstance(self.result, dict):
            value = self.result.get("text", self.result.get("caption"))
            return value if isinstance(value, str) else None
        return None

    def summary(self) -> str:
        """One line for failure messages."""
        text = (self.text or "").replace("\n", " ")
        error = f" {self.error}" if self.error else ""
        return f"{self.method} chat={self.chat_id} -> {self.status}{error} {text[:80]!r}"


@dataclass(frozen=True)
class SentMessage:
    """Current state of a message the bot sent (after any edits)."""

    chat_id: int
    message_id: int
    method: str
    text: str | None
    plain_text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    file: SentFile | None = None
    edited: bool = False
    deleted: bool = False

    @property
    def callback_data(self) -> list[str]:
        """All callback_data values of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]

    @property
    def filename(self) -> str | None:
        """File name of the uploaded document/photo, if any."""
        return self.file.filename if self.file else None

    @property
    def content(self) -> bytes | None:
        """Bytes of the uploaded document/photo, if any."""
        return self.file.content if self.file else None


@dataclass(frozen=True)
class Stats:
    """Counters over all calls; ``accepted`` excludes getUpdates, which ``get_updates`` counts
    as soon as a poll arrives (a long poll still waiting is counted)."""

    accepted: int = 0
    too_many_requests: int = 0
    forbidden: int = 0
    bad_request: int = 0
    unauthorized: int = 0
    get_updates: int = 0
    by_method: dict[str, int] = field(default_factory=dict)


class Recorder:
    """Thread-safe log of calls with condition-variable waits."""

    def __init__(self) -> None:
        self._calls: list[SentCall] = []
        self._status: Counter[int] = Counter()
        self._methods: Counter[str] = Counter()
        self._polls = 0
        self._accepted = 0
        self._cond = threading.Condition()
        self._listeners: list[Callable[[SentCall], None]] = []
        self._delivered: dict[int, float] = {}

    def record(self, call: SentCall) -> None:
        """Append a call, wake waiters, then tell the listeners (in the server's thread)."""
        with self._cond:
            self._calls.append(call)
            self._status[call.status] += 1
            self._methods[call.method] += 1
            self._accepted += call.ok
            self._cond.notify_all()
            listeners = list(self._listeners)
        for listener in listeners:
            listener(call)

    def listen(self, listener: Callable[[SentCall], None]) -> None:
        """Call ``listener`` with every call recorded from now on (it must not block)."""
        with self._cond:
            self._listeners.append(listener)

    def delivered(self, update_ids: list[int], at: float) -> None:
        """Note when updates were first handed to the bot (getUpdates answer or webhook 2xx)."""
        with self._cond:
            for update_id in update_ids:
                self._delivered.setdefault(update_id, at)

    def delivery_time(self, update_id: int) -> float | None:
        """Wall-clock time the update was first handed to the bot, or None if not yet."""
        with self._cond:
            return self._delivered.get(update_id)

    def poll_started(self) -> None:
        """Count a getUpdates call on arrival (polls are not logged in :meth:`calls`)."""
        with self._cond:
            self._polls += 1

    def poll_failed(self, status: int) -> None:
        """Count the error status a getUpdates call ended with."""
        with self._cond:
            self._status[status] += 1

    def calls(self) -> list[SentCall]:
        """A snapshot of all recorded calls."""
        with self._cond:
            return list(self._calls)

    def mark(self) -> int:
        """Index of the next call to be recorded (pass as ``since=`` to wait only for new calls)."""
        with self._cond:
            return len(self._calls)

    def stats(self) -> Stats:
        """Current counters."""
        with self._cond:
            return Stats(
                accepted=self._accepted,
                too_many_requests=self._status[429],
                forbidden=self._status[403],
                bad_request=self._status[400],
                unauthorized=self._status[401],
                get_updates=self._polls,
                by_method=dict(self._methods),
            )

    def wait_for(
        self, predicate: Callable[[SentCall], bool], timeout: float, since: int = 0
    ) -> SentCall:
        """Block until a call at index >= ``since`` matches; TimeoutError lists what was sent."""
        deadline = time.monotonic() + timeout
        index = since
        with self._cond:
            while True:
                for call in self._scan(index):
                    if predicate(call):
                        return call
                index = len(self._calls)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(timeout, since))
                self._cond.wait(remaining)

    def _scan(self, index: int) -> Iterator[SentCall]:
        yield from self._calls[index:]

    def _timeout_message(self, timeout: float, since: int) -> str:
        calls = self._calls[since:]
        lines = [f"no matching Bot API call within {timeout:.1f}s; {len(calls)} call(s) since:"]
        lines += [f"  {call.summary()}" for call in calls[-25:]]
        return "\n".join(lines)
