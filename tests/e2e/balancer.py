"""A tiny round-robin HTTP load balancer in front of webhook replicas, for tests and benches.

Each POST goes to the next replica (same path, body and headers, so Telegram's
``X-Telegram-Bot-Api-Secret-Token`` arrives untouched) and the replica's status and body come
back. A replica that refuses the connection (killed, not yet listening) is skipped for the
next one; only when every replica refuses does the caller get 502, and the stand-in retries
later as Telegram does. Runs a threading ``http.server`` in a daemon thread.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "host", "content-length"})
TIMEOUT_S = 10.0


class Balancer:
    """Round-robin over ``ports`` on 127.0.0.1; ``url`` is where the webhook should point."""

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self.forwarded: list[int] = [0] * len(self.ports)
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.balancer = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL of the balancer (append the webhook path)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def order(self) -> list[int]:
        """Replica indexes to try for the next request, starting with the one whose turn it is."""
        with self._lock:
            first = next(self._turn) % len(self.ports)
        return [(first + step) % len(self.ports) for step in range(len(self.ports))]

    def forward(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> _Reply:
        """Send the request to the first replica that accepts the connection."""
        for index in self.order():
            try:
                reply = _send(self.ports[index], method, path, body, headers)
            except ConnectionRefusedError:
                continue
            with self._lock:
                self.forwarded[index] += 1
            return reply
        return _Reply(502, b"no replica reachable", "text/plain")

    def __enter__(self) -> Balancer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Reply:
    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type


def _send(port: int, method: str, path: str, body: bytes, headers: dict[str, str]) -> _Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content_type = response.getheader("Content-Type", "text/plain")
        return _Reply(response.status, response.read(), content_type)
    finally:
        connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    balancer: Balancer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        """Forward one POST."""
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        reply = self.server.balancer.forward("POST", self.path, body, headers)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: no line per request on stderr."""
