"""The stand-in's world: chats, messages, the update queue, files, commands, webhook, rate limit.

Not thread-safe by itself; :class:`~tests.telegram_standin.core.StandinCore` guards it with a lock.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any

from . import updates
from .recording import SentFile, SentMessage
from .rules import ApiError, bad_request

JSON = dict[str, Any]

#: Seconds after the press within which Telegram accepts answerCallbackQuery.
QUERY_ANSWER_WINDOW = 15.0
_QUERY_EXPIRED = "query is too old and response timeout expired or query ID is invalid"

#: Update types Telegram leaves out unless allowed_updates names them.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class RateLimiter:
    """At most ``rate`` accepted messages in any sliding one-second window (None/0 = off)."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._stamps: deque[float] = deque()

    def check(self, now: float) -> None:
        """Raise 429 with ``retry_after`` when the window is full; otherwise count this call."""
        if not self.rate:
            return
        while self._stamps and self._stamps[0] <= now - 1.0:
            self._stamps.popleft()
        if len(self._stamps) >= self.rate:
            retry = max(1, math.ceil(self._stamps[0] + 1.0 - now))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        self._stamps.append(now)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class ApiRequest:
    """A decoded Bot API call: parameters (typed like JSON) and uploaded file parts."""

    method: str
    params: dict[str, Any]
    files: dict[str, Upload] = field(default_factory=dict)


@dataclass
class Webhook:
    """The webhook set by setWebhook."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class StoredMessage:
    """A message in a chat: its Telegram JSON and, for bot messages, the test-facing record."""

    payload: JSON
    sent: SentMessage | None = None


@dataclass
class BotState:
    """All mutable state of the fake Telegram."""

    bot_user: JSON
    strict_html: bool = True
    chats: dict[int, JSON] = field(default_factory=dict)
    users: dict[int, JSON] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    messages: dict[tuple[int, int], StoredMessage] = field(default_factory=dict)
    pending: list[JSON] = field(default_factory=list)
    next_update_id: int = 1
    open_queries: dict[str, int] = field(default_factory=dict)  # query id -> user id
    query_times: dict[str, float] = field(default_factory=dict)  # query id -> press (clock)
    clock_offset: float = 0.0  # seconds added to the monotonic clock (advance_clock)
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    webhook: Webhook | None = None
    allowed_updates: frozenset[str] | None = None  # None: all but OPT_IN_UPDATE_TYPES
    files: dict[str, SentFile] = field(default_factory=dict)
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(30.0))
    _message_ids: dict[int, int] = field(default_factory=dict)
    _serial: int = 0

    # -- chats and users -------------------------------------------------------------------

    def known_user(self, user_id: int, first_name: str | None = None) -> JSON:
        """The User for ``user_id`` with its private chat, created on first use or renamed."""
        known = self.users.get(user_id)
        if known is None or (first_name and first_name != known["first_name"]):
            name = first_name or "Test"
            self.users[user_id] = updates.user(user_id, name)
            self.chats[user_id] = updates.private_chat(user_id, name)
        return self.users[user_id]

    def resolve_chat(self, chat_id: Any) -> JSON:
        """The chat a send targets: 400 "chat not found", 403 when the user blocked the bot."""
        chat = self._find_chat(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat["id"] in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _find_chat(self, chat_id: Any) -> JSON | None:
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            found = (c for c in self.chats.values() if str(c.get("username", "")).lower() == name)
            return next(found, None)
        raise bad_request("chat_id is empty" if not chat_id else "chat not found")

    def next_message_id(self, chat_id: int) -> int:
        """Message ids increase per chat, shared by the user's and the bot's messages."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def serial(self) -> int:
        """A process-unique counter for file ids and callback query ids."""
        self._serial += 1
        return self._serial

    # -- messages --------------------------------------------------------------------------

    def store(self, payload: JSON, sent: SentMessage | None = None) -> None:
        """Remember a message so it can be edited, deleted or referenced by a callback."""
        key = (payload["chat"]["id"], payload["message_id"])
        self.messages[key] = StoredMessage(payload, sent)

    def bot_message(self, chat_id: int, message_id: int, action: str = "edit") -> StoredMessage:
        """A live message of the bot, or Telegram's "message to <action> not found"."""
        stored = self.messages.get((chat_id, message_id))
        if stored is None or (stored.sent is not None and stored.sent.deleted):
            raise bad_request(f"message to {action} not found")
        if stored.sent is None:
            raise bad_request("message can't be edited")
        return stored

    def mark_deleted(self, stored: StoredMessage) -> None:
        """Flag a bot message as deleted."""
        assert stored.sent is not None
        stored.sent = replace(stored.sent, deleted=True)

    def sent_messages(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in a chat, in message_id order."""
        found = [s.sent for (cid, _), s in self.messages.items() if cid == chat_id and s.sent]
        return sorted(found, key=lambda m: m.message_id)

    # -- callback queries ------------------------------------------------------------------

    def clock(self) -> float:
        """The stand-in's clock for query expiry: monotonic time plus ``clock_offset``."""
        return monotonic() + self.clock_offset

    def open_query(self, query_id: str, user_id: int, pressed_ago: float = 0.0) -> None:
        """A button was pressed ``pressed_ago`` seconds ago; answerable once within the window."""
        self.open_queries[query_id] = user_id
        self.query_times[query_id] = self.clock() - pressed_ago

    def answer_query(self, query_id: str) -> None:
        """Close the query, or Telegram's "query is too old" (answered, unknown or expired)."""
        pressed = self.query_times.pop(query_id, None)
        if self.open_queries.pop(query_id, None) is None or pressed is None:
            raise bad_request(_QUERY_EXPIRED)
        if self.clock() - pressed > QUERY_ANSWER_WINDOW:
            raise bad_request(_QUERY_EXPIRED)

    # -- files -----------------------------------------------------------------------------

    def store_file(self, filename: str, content: bytes, mime_type: str) -> SentFile:
        """Register an uploaded file under a fresh file_id."""
        digest = hashlib.sha1(content, usedforsecurity=False).hexdigest()[:16]
        serial = self.serial()
        sent = SentFile(f"standin-file-{serial}", f"u{digest}", filename, mime_type, content)
        self.files[sent.file_id] = sent
        return sent

    # -- updates ---------------------------------------------------------------------------

    def enqueue(self, update: JSON) -> int:
        """Append an update (assigning its update_id) and return the id."""
        update_id = self.next_update_id
        self.next_update_id += 1
        self.pending.append({"update_id": update_id, **update})
        return update_id

    def take_updates(self, offset: int, limit: int) -> list[JSON]:
        """getUpdates semantics: confirm ids < offset, skip disallowed types, return ≤ limit."""
        if offset < 0:
            self.pending = self.pending[offset:]
        elif offset:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        self.pending = [u for u in self.pending if self.is_allowed(u)]
        return [dict(u) for u in self.pending[: max(1, min(limit, 100))]]

    def is_allowed(self, update: JSON) -> bool:
        """Whether the current allowed_updates setting lets this update through."""
        kind = updates.update_kind(update)
        if self.allowed_updates is None:
            return kind not in OPT_IN_UPDATE_TYPES
        return kind in self.allowed_updates

    def set_allowed_updates(self, value: Any) -> None:
        """allowed_updates persists between calls; an empty list restores the default."""
        if value is None:
            return
        if not isinstance(value, list):
            raise bad_request("can't parse allowed_updates JSON array")
        self.allowed_updates = frozenset(value) if value else None

    def drop_pending(self) -> None:
        """drop_pending_updates=True."""
        self.pending.clear()


def monotonic() -> float:
    """The clock the rate limiter uses."""
    return time.monotonic()
