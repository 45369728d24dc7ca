"""The test balancer: round-robin, headers kept, refused replicas skipped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.e2e.balancer import Balancer
from tests.e2e.test_lifecycle import free_port
from tests.telegram_standin import SECRET_HEADER


class _Echo(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        """Answer with this server's port and the secret header it saw."""
        self.rfile.read(int(self.headers["Content-Length"]))
        body = f"{self.connection.getsockname()[1]} {self.headers.get(SECRET_HEADER)}".encode()
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def replicas() -> Iterator[list[int]]:
    """Two live echo replicas' ports."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Echo) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [server.server_address[1] for server in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


def _post(balancer: Balancer) -> httpx.Response:
    return httpx.post(f"{balancer.url}/telegram", content=b"{}", headers={SECRET_HEADER: "s"})


def test_requests_take_turns_and_keep_status_and_secret_header(replicas: list[int]) -> None:
    """Each POST reaches the next replica with its header; the replica's status comes back."""
    with Balancer(replicas) as balancer:
        answers = [_post(balancer) for _ in range(4)]
    assert {a.status_code for a in answers} == {201}
    assert [a.text for a in answers] == [f"{p} s" for p in replicas * 2]


def test_a_refused_replica_is_skipped_and_none_left_gives_502(replicas: list[int]) -> None:
    """A dead port is passed over; with only dead ports the caller gets 502."""
    dead = free_port()
    with Balancer([dead, replicas[0]]) as balancer:
        assert [_post(balancer).text for _ in range(2)] == [f"{replicas[0]} s"] * 2
        assert balancer.forwarded == [0, 2]
    with Balancer([dead]) as balancer:
        assert _post(balancer).status_code == 502
