"""Scripted outages: windows of 5xx, garbage, timeouts or 429 storms, and migrated chats.

A :class:`FaultPlan` is pure bookkeeping on a caller-supplied monotonic clock; the server asks
it before answering a call (see ``StandinServer.dispatch``). A faulted call is not processed:
nothing is sent, edited or answered, exactly as if Telegram never received it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["server_error", "garbage", "timeout", "rate_storm"]

#: Calls that a fault window hits unless told otherwise: everything but getUpdates.
ALL_BUT_POLLING = frozenset({"*"})
GARBAGE_BODY = b"<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
_MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
_SERVER_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class FaultAnswer:
    """How to answer a faulted call: status, raw body, and how long to hold it first."""

    status: int
    body: bytes
    description: str
    hold: float = 0.0
    content_type: str = "application/json"


@dataclass(frozen=True)
class FaultWindow:
    """From ``start`` to ``end`` (monotonic seconds) calls of ``methods`` fail as ``kind``."""

    kind: FaultKind
    start: float
    end: float
    methods: frozenset[str] = ALL_BUT_POLLING
    status: int = 502
    retry_after: int = 1
    hold: float = 30.0

    def hits(self, method: str, now: float) -> bool:
        """Whether a call of ``method`` at ``now`` falls into this window."""
        if not self.start <= now < self.end:
            return False
        if self.methods == ALL_BUT_POLLING:
            return method != "getUpdates"
        return method in self.methods

    def answer(self) -> FaultAnswer:
        """The response Telegram (or a proxy in front of it) would give."""
        if self.kind == "garbage":
            return FaultAnswer(200, GARBAGE_BODY, "garbage", content_type="text/html")
        if self.kind == "timeout":
            return FaultAnswer(504, _json(504, "Gateway Timeout"), "timeout", hold=self.hold)
        if self.kind == "rate_storm":
            text = f"Too Many Requests: retry after {self.retry_after}"
            extra = {"retry_after": self.retry_after}
            return FaultAnswer(429, _json(429, text, extra), text)
        text = _SERVER_ERRORS.get(self.status, "Server Error")
        return FaultAnswer(self.status, _json(self.status, text), text)


@dataclass
class FaultPlan:
    """The scripted windows and chat migrations of one stand-in (guarded by its lock)."""

    windows: list[FaultWindow] = field(default_factory=list)
    migrated: dict[int, int] = field(default_factory=dict)

    def add(self, window: FaultWindow) -> None:
        """Schedule a window."""
        self.windows.append(window)

    def answer(self, method: str, chat_id: object, now: float) -> FaultAnswer | None:
        """The fault for this call now, or ``None`` to answer it normally."""
        self.windows = [w for w in self.windows if w.end > now]
        for window in self.windows:
            if window.hits(method, now):
                return window.answer()
        return self._migration(method, chat_id)

    def _migration(self, method: str, chat_id: object) -> FaultAnswer | None:
        if not method.startswith("send") or method == "sendChatAction":
            return None
        target = self.migrated.get(_int(chat_id))
        if target is None:
            return None
        extra = {"migrate_to_chat_id": target}
        return FaultAnswer(400, _json(400, _MIGRATED, extra), _MIGRATED)

    def active(self, now: float) -> bool:
        """Whether a window is running or still to come."""
        return any(w.end > now for w in self.windows)


def _json(status: int, description: str, parameters: dict[str, Any] | None = None) -> bytes:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return json.dumps(body).encode()


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
