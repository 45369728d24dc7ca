"""HTTP front of the stand-in: a tornado server on its own event loop in a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from types import TracebackType
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Bot
from telegram.ext import ApplicationBuilder

from . import client
from .core import StandinCore
from .faults import FaultAnswer
from .rules import ApiError
from .state import Upload
from .webhook import Deliverer, WebhookDelivery

JSON = dict[str, Any]
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class StandinServer(StandinCore):
    """A local Telegram Bot API for tests: ``base_url`` goes where api.telegram.org/bot would.

    Usable from sync tests, async tests, subprocess tests and benchmarks: the server runs on
    its own loop in a daemon thread, and every public method is thread-safe.
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        rate_limit: float | None = 30.0,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        bot_username: str = "digilotse_test_bot",
        strict_html: bool = True,
        webhook_retry_delay: float = 0.5,
    ) -> None:
        super().__init__(
            token, rate_limit=rate_limit, bot_username=bot_username, strict_html=strict_html
        )
        self.host = host
        self.port = port
        self.latency = latency
        self._retry_delay = webhook_retry_delay
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._http: tornado.httpserver.HTTPServer | None = None
        self._deliverer: Deliverer | None = None
        self._deliver_task: asyncio.Task[None] | None = None
        self._new_updates: asyncio.Event | None = None
        self._poll_generation = 0
        self._stopping = False
        self._deliveries: list[WebhookDelivery] = []

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://host:port/bot`` — for ``ApplicationBuilder().base_url`` / TELEGRAM_API_URL."""
        return f"http://{self._url_host()}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """``http://host:port/file/bot`` (file downloads are not served)."""
        return f"http://{self._url_host()}:{self.port}/file/bot"

    def bot(self) -> Bot:
        """A PTB ``Bot`` for this stand-in (``async with server.bot() as bot: ...``)."""
        return client.make_bot(self.token, self.base_url)

    def application_builder(self) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
        """A PTB ``ApplicationBuilder`` with token and base_url set; add handlers, build."""
        return client.application_builder(self.token, self.base_url)

    def bot_env(self) -> dict[str, str]:
        """Environment for a bot subprocess: TELEGRAM_API_URL and TELEGRAM_BOT_TOKEN."""
        return {"TELEGRAM_API_URL": self.base_url, "TELEGRAM_BOT_TOKEN": self.token}

    def _url_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    def start(self) -> StandinServer:
        """Bind the port (``port=0`` picks a free one) and serve in a background thread.

        After :meth:`stop`, ``start()`` serves the same state on the same port again, which
        simulates a Telegram outage.
        """
        if self._thread is not None:
            raise RuntimeError("stand-in already started")
        self._stopping = False  # a stopped stand-in may be started again, keeping its state
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(sockets, ready), name="telegram-standin", daemon=True
        )
        self._thread.start()
        ready.wait()
        return self

    def stop(self) -> None:
        """Close connections, end long polls and the webhook deliverer, join the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = self._thread = None

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self, sockets: list[Any], ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        loop.run_until_complete(self._startup(sockets))
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _startup(self, sockets: list[Any]) -> None:
        app = tornado.web.Application(
            [(r"/bot([^/]*)/([A-Za-z_]*)", _BotApiHandler, {"server": self})],
            default_handler_class=_NotFoundHandler,
            log_function=lambda handler: None,  # URLs contain the token: no access log
        )
        self._http = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        self._http.add_sockets(sockets)
        self._new_updates = asyncio.Event()
        self._deliverer = Deliverer(self, self._retry_delay)
        self._deliver_task = asyncio.get_running_loop().create_task(self._deliverer.run())

    async def _shutdown(self) -> None:
        self._stopping = True
        self._wake_pollers()
        assert self._http is not None
        assert self._deliver_task is not None
        self._http.stop()
        self._deliver_task.cancel()
        await asyncio.gather(self._deliver_task, return_exceptions=True)
        await asyncio.sleep(0)  # let woken long polls answer
        await self._http.close_all_connections()

    # -- wake-ups (server loop) --------------------------------------------------------------

    def _updates_changed(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake_pollers)

    def _wake_pollers(self) -> None:
        if self._new_updates is not None:
            self._new_updates.set()
            self._new_updates = asyncio.Event()
        if self._deliverer is not None:
            self._deliverer.wake()

    # -- request handling (server loop) ------------------------------------------------------

    async def dispatch(
        self,
        token: str,
        method: str,
        params: JSON,
        files: dict[str, Upload],
        closed: asyncio.Event,
    ) -> tuple[int, JSON] | FaultAnswer:
        """Answer one HTTP request; getUpdates may wait for updates; faults come first."""
        if self.latency:
            await asyncio.sleep(self.latency)
        fault = self.fault_answer(method, params.get("chat_id"))
        if fault is not None:
            self.record_fault(method, params, files, fault)
            if fault.hold:
                await self._wait_closed(closed, fault.hold)
            return fault
        if method.lower() != "getupdates":
            return self.handle(token, method, params, files)
        self._recorder.poll_started()
        try:
            result = await self._long_poll(token, params, closed)
        except ApiError as err:
            self._recorder.poll_failed(err.status)
            return err.status, err.body()
        self._recorder.delivered([update["update_id"] for update in result], time.time())
        return 200, {"ok": True, "result": result}

    async def _long_poll(self, token: str, params: JSON, closed: asyncio.Event) -> list[JSON]:
        found, timeout, limit = self.poll(token, params)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # an older long poll now ends with 409 Conflict, as on Telegram
        deadline = time.monotonic() + timeout
        while not found and not self._stopping and not closed.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            await self._wait_updates(closed, remaining)
            if generation != self._poll_generation:
                raise ApiError(409, _POLL_CONFLICT)
            found = self.peek_updates(limit)
        return found

    @staticmethod
    async def _wait_closed(closed: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closed.wait(), timeout=seconds)

    async def _wait_updates(self, closed: asyncio.Event, seconds: float) -> None:
        assert self._new_updates is not None
        waits = [
            asyncio.ensure_future(self._new_updates.wait()),
            asyncio.ensure_future(closed.wait()),
        ]
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waits:
            waiter.cancel()

    # -- webhook (server loop) -----------------------------------------------------------------

    def next_delivery(self) -> tuple[str, str | None, JSON] | None:
        """Oldest queued update for the webhook (disallowed update types are dropped)."""
        with self._lock:
            hook = self._state.webhook
            pending = self._state.pending
            while hook is not None and pending:
                if self._state.is_allowed(pending[0]):
                    return hook.url, hook.secret_token, dict(pending[0])
                pending.pop(0)
            return None

    def finish_delivery(self, delivery: WebhookDelivery) -> None:
        """Record a delivery attempt; once delivered, remove the update and note the time."""
        with self._lock:
            self._deliveries.append(delivery)
            pending, hook = self._state.pending, self._state.webhook
            if delivery.ok and pending and pending[0]["update_id"] == delivery.update_id:
                pending.pop(0)
                self._recorder.delivered([delivery.update_id], delivery.timestamp)
            elif hook is not None and not delivery.ok:
                hook.last_error_date = int(delivery.timestamp)
                hook.last_error_message = delivery.error

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every attempt to POST an update to the bot's webhook."""
        with self._lock:
            return list(self._deliveries)

    @property
    def webhook_url(self) -> str | None:
        """The URL the bot registered with setWebhook, if any."""
        with self._lock:
            return self._state.webhook.url if self._state.webhook else None


class _BotApiHandler(tornado.web.RequestHandler):
    """``/bot<token>/<method>``: form, multipart or JSON bodies, or query parameters."""

    def initialize(self, server: StandinServer) -> None:
        self.server = server
        self.closed = asyncio.Event()

    def on_connection_close(self) -> None:
        self.closed.set()

    async def get(self, token: str, method: str) -> None:
        try:
            params, files = self._parse()
        except ValueError:
            status, body = 400, ApiError(400, "Bad Request: can't parse JSON").body()
        else:
            answer = await self.server.dispatch(token, method, params, files, self.closed)
            if isinstance(answer, FaultAnswer):
                return self._finish_fault(answer)
            status, body = answer
        if self.closed.is_set():
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    def _finish_fault(self, answer: FaultAnswer) -> None:
        if self.closed.is_set():
            return
        self.set_status(answer.status)
        self.set_header("Content-Type", answer.content_type)
        self.finish(answer.body)

    post = get

    def _parse(self) -> tuple[JSON, dict[str, Upload]]:
        request = self.request
        params: JSON = {k: v[-1].decode() for k, v in request.query_arguments.items()}
        if request.headers.get("Content-Type", "").startswith("application/json") and request.body:
            body = json.loads(request.body)
            params.update(body if isinstance(body, dict) else {})
        else:
            params.update({k: v[-1].decode() for k, v in request.body_arguments.items()})
        files = {
            name: Upload(parts[0].filename, parts[0].body, parts[0].content_type)
            for name, parts in request.files.items()
        }
        return params, files


class _NotFoundHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}))
