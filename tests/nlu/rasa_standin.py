"""A stand-in for a Rasa server over real HTTP (stdlib), whose behaviour a test can switch.

It answers ``POST /model/parse`` like Rasa, or slowly, or with an error, or with garbage, and
counts the requests it received, so tests can see that an open circuit sends nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qs, urlsplit

Mode = Literal["ok", "slow", "error", "garbage", "not_a_dict"]


class RasaStandIn:
    """State shared between the test and the request handler."""

    def __init__(self, token: str = "secret") -> None:
        self.token = token
        self.mode: Mode = "ok"
        self.delay = 2.0
        self.requests: list[dict[str, object]] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, text: str) -> dict[str, object]:
        return {
            "text": text,
            "intent": {"name": "ask_knowledge", "confidence": 0.97},
            "intent_ranking": [
                {"name": "ask_knowledge", "confidence": 0.97},
                {"name": "help", "confidence": 0.02},
            ],
            "entities": [
                {
                    "entity": "programme",
                    "start": 0,
                    "end": 3,
                    "value": "digitale_zukunftskommune",
                    "extractor": "RegexEntityExtractor",
                    "processors": ["EntitySynonymMapper"],
                }
            ],
            "text_tokens": [[0, 3]],
        }


def _handler(state: RasaStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            query = parse_qs(urlsplit(self.path).query)
            state.requests.append({"path": urlsplit(self.path).path, "query": query})
            if query.get("token") != [state.token]:
                return self._send(401, b'{"message": "unauthorized"}')
            if state.mode == "slow":
                time.sleep(state.delay)
            if state.mode == "error":
                return self._send(500, b'{"message": "boom"}')
            if state.mode == "garbage":
                return self._send(200, b"<html>not json</html>")
            if state.mode == "not_a_dict":
                return self._send(200, b"[1, 2, 3]")
            text = json.loads(body)["text"]
            self._send(200, json.dumps(state.answer(text)).encode())

        def _send(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def running_standin(token: str = "secret") -> Iterator[RasaStandIn]:
    """Serve a stand-in on a free loopback port for the duration of the block."""
    state = RasaStandIn(token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
