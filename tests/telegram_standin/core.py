"""The network-free heart of the stand-in: dispatch, recording, inspection and waiting.

:class:`StandinCore` answers Bot API calls given as (token, method, params, files); the HTTP
server in :mod:`.server` only translates requests.  All state is guarded by one lock, so the
inspection methods may be called from any thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import admin, messages
from .faults import FaultAnswer, FaultPlan
from .injection import InjectionMixin
from .recording import EDIT_METHODS, SEND_METHODS, Recorder, SentCall, SentMessage, Stats
from .rules import ApiError, bad_request, decode_params, optional_int
from .state import ApiRequest, BotState, RateLimiter, Upload

JSON = dict[str, Any]
Handler = Callable[[BotState, ApiRequest], Any]

METHODS: dict[str, Handler] = {
    "getMe": admin.get_me,
    "sendMessage": messages.send_message,
    "sendDocument": messages.send_document,
    "sendPhoto": messages.send_photo,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "answerCallbackQuery": messages.answer_callback_query,
    "sendChatAction": messages.send_chat_action,
    "setMyCommands": admin.set_my_commands,
    "getMyCommands": admin.get_my_commands,
    "deleteMyCommands": admin.delete_my_commands,
    "setWebhook": admin.set_webhook,
    "deleteWebhook": admin.delete_webhook,
    "getWebhookInfo": admin.get_webhook_info,
    "logOut": admin.log_out,
    "close": admin.log_out,
}
_CANONICAL = {name.lower(): name for name in [*METHODS, "getUpdates"]}
_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NOT_FOUND = ApiError(404, "Not Found")
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class Fault:
    """A scripted error for the next call(s) of a method (see ``StandinCore.fail_next``)."""

    method: str
    error: ApiError
    times: int


class StandinCore(InjectionMixin):
    """Bot API behaviour without networking; :class:`~.server.StandinServer` adds HTTP."""

    def __init__(
        self,
        token: str,
        *,
        rate_limit: float | None = 30.0,
        bot_username: str = "digilotse_test_bot",
        strict_html: bool = True,
    ) -> None:
        self.token = token
        bot_id = token.split(":", 1)[0]
        bot_user = {
            "id": int(bot_id) if bot_id.isdigit() else 1,
            "is_bot": True,
            "first_name": "Digilotse Test",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._state = BotState(bot_user=bot_user, strict_html=strict_html)
        self._state.limiter = RateLimiter(rate_limit)
        self._lock = threading.RLock()
        self._recorder = Recorder()
        self._faults: list[Fault] = []
        self._fault_plan = FaultPlan()

    # -- dispatch --------------------------------------------------------------------------

    def handle(
        self, token: str, method: str, raw: JSON, files: dict[str, Upload]
    ) -> tuple[int, JSON]:
        """Answer one Bot API call other than getUpdates and record it; returns (status, body)."""
        name = _CANONICAL.get(method.lower(), method)
        params = decode_params(raw)
        with self._lock:
            try:
                result = self._call(token, ApiRequest(name, params, files))
            except ApiError as err:
                self._record(name, params, files, err.status, err.description, None)
                return err.status, err.body()
            self._record(name, params, files, 200, None, result)
        self._after_call(name)
        return 200, {"ok": True, "result": result}

    def record_fault(
        self, method: str, raw: JSON, files: dict[str, Upload], answer: FaultAnswer
    ) -> None:
        """Record a call answered by a scripted fault (it had no effect; garbage is status 0)."""
        name = _CANONICAL.get(method.lower(), method)
        status = 0 if answer.status == 200 else answer.status
        self._record(name, decode_params(raw), files, status, answer.description, None)

    def _call(self, token: str, req: ApiRequest) -> Any:
        if token != self.token:
            raise _UNAUTHORIZED
        handler = METHODS.get(req.method)
        if handler is None:
            raise _NOT_FOUND
        self._raise_fault(req.method)
        return handler(self._state, req)

    def _raise_fault(self, method: str) -> None:
        for fault in self._faults:
            if fault.method == method:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                raise fault.error

    def _record(
        self,
        method: str,
        params: JSON,
        files: dict[str, Upload],
        status: int,
        error: str | None,
        result: Any,
    ) -> None:
        merged = {**params, **files}
        chat_id = params.get("chat_id")
        call = SentCall(method, chat_id, merged, time.time(), status, error, result)
        self._recorder.record(call)

    def _after_call(self, method: str) -> None:
        if method in ("setWebhook", "deleteWebhook"):
            self._updates_changed()  # the webhook deliverer starts or stops

    def poll(self, token: str, raw: JSON) -> tuple[list[JSON], int, int]:
        """The non-blocking part of getUpdates: (updates, timeout, limit); raises ApiError."""
        params = decode_params(raw)
        with self._lock:
            if token != self.token:
                raise _UNAUTHORIZED
            self._raise_fault("getUpdates")
            if self._state.webhook is not None:
                raise ApiError(409, _WEBHOOK_CONFLICT)
            offset = optional_int(params, "offset", 0)
            limit = optional_int(params, "limit", 100)
            timeout = optional_int(params, "timeout", 0)
            if timeout < 0:
                raise bad_request("invalid timeout specified")
            self._state.set_allowed_updates(params.get("allowed_updates"))
            return self._state.take_updates(offset, limit), timeout, limit

    def peek_updates(self, limit: int) -> list[JSON]:
        """Pending updates after a long-poll wake-up (offset was applied by :meth:`poll`)."""
        with self._lock:
            return self._state.take_updates(0, limit)

    # -- configuration ---------------------------------------------------------------------

    @property
    def rate_limit(self) -> float | None:
        """Accepted messages per sliding second before 429 (None or 0 = unlimited)."""
        return self._state.limiter.rate

    @rate_limit.setter
    def rate_limit(self, rate: float | None) -> None:
        with self._lock:
            self._state.limiter = RateLimiter(rate)

    @property
    def bot_user(self) -> JSON:
        """The bot's User object as getMe returns it."""
        return dict(self._state.bot_user)

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with this error (e.g. 502, 429)."""
        with self._lock:
            self._faults.append(Fault(method, ApiError(status, description, retry_after), times))

    def advance_clock(self, seconds: float) -> None:
        """Let ``seconds`` pass for callback-query expiry without sleeping."""
        with self._lock:
            self._state.clock_offset += seconds

    def add_user(self, user_id: int, first_name: str = "Test") -> None:
        """Make a private chat known without an update (e.g. subscribers of a broadcast)."""
        with self._lock:
            self._state.known_user(user_id, first_name)

    # -- inspection ------------------------------------------------------------------------

    @property
    def sent(self) -> list[SentCall]:
        """Every call the bot made except getUpdates polls, rejected ones included."""
        return self._recorder.calls()

    @property
    def stats(self) -> Stats:
        """Counters: accepted, too_many_requests, forbidden, bad_request, get_updates, ..."""
        return self._recorder.stats()

    def listen(self, listener: Callable[[SentCall], None]) -> None:
        """Call ``listener`` in the server's thread with every call recorded from now on."""
        self._recorder.listen(listener)

    def delivery_time(self, update_id: int) -> float | None:
        """Wall-clock time a getUpdates answer first carried this update (None: not yet)."""
        return self._recorder.delivery_time(update_id)

    def mark(self) -> int:
        """Position in :attr:`sent`; pass as ``since=`` to wait only for later calls."""
        return self._recorder.mark()

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """The bot's accepted messages in a chat, current state (after edits/deletes)."""
        with self._lock:
            return self._state.sent_messages(chat_id)

    def commands(self, language_code: str = "") -> list[JSON]:
        """Commands set for the default scope (and language)."""
        req = ApiRequest("getMyCommands", {"language_code": language_code})
        with self._lock:
            return admin.get_my_commands(self._state, req)

    def wait_for(
        self, predicate: Callable[[SentCall], bool], timeout: float = 10.0, *, since: int = 0
    ) -> SentCall:
        """Block until a recorded call matches; TimeoutError summarises what was sent."""
        return self._recorder.wait_for(predicate, timeout, since)

    def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
        edits: bool = True,
    ) -> SentCall:
        """Block until the bot successfully sends (or edits, if ``edits``) a matching message."""
        methods = SEND_METHODS | EDIT_METHODS if edits else SEND_METHODS

        def matches(call: SentCall) -> bool:
            if not call.ok or call.method not in methods or call.chat_id != chat_id:
                return False
            texts = (call.text or "", call.plain_text or "")
            return contains is None or any(contains in text for text in texts)

        return self.wait_for(matches, timeout, since=since)

    async def async_wait_for(
        self,
        predicate: Callable[[SentCall], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - mirrors wait_for; bounds a thread wait
        *,
        since: int = 0,
    ) -> SentCall:
        """:meth:`wait_for` for async tests (does not block the event loop)."""
        return await asyncio.to_thread(self.wait_for, predicate, timeout, since=since)

    async def async_wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - mirrors wait_for_message
        *,
        since: int = 0,
        edits: bool = True,
    ) -> SentCall:
        """:meth:`wait_for_message` for async tests (does not block the event loop)."""
        return await asyncio.to_thread(
            self.wait_for_message, chat_id, contains, timeout, since=since, edits=edits
        )
