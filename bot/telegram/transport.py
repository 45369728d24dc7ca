"""python-telegram-bot's HTTP layer on aiohttp instead of httpx.

PTB's default ``HTTPXRequest`` costs about 5–7 ms of CPU per Bot API call on our machines; the
same call through aiohttp costs about 0.6–0.9 ms (``python -m bench transport``; httpx's async
overhead is a known issue, encode/httpx#3215). The bot's event loop is CPU-bound under load, so
this was the largest share of its time per update. ``BaseRequest`` is PTB's documented extension
point for another HTTP backend; parameters go as JSON (which the Bot API accepts), as multipart
when files are attached.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB versions this transport was written and tested against: it imports two private helpers
# (``telegram._utils``) and overrides ``BaseRequest.do_request``;
# tests/bot/telegram/test_transport.py fails when the installed PTB leaves this range, so the
# reliance is checked, not assumed.
TESTED_PTB = ((22, 5), (23, 0))
DEFAULT_TIMEOUT = 5.0
"""Seconds, as PTB's ``HTTPXRequest``: connect, read and waiting for a free pooled connection."""
MEDIA_TIMEOUT = 20.0
"""Total seconds for a request that uploads a file (PTB's ``media_write_timeout``)."""


_PLAIN = {"User-Agent": BaseRequest.USER_AGENT}
_JSON = {**_PLAIN, "Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` with an aiohttp ``ClientSession`` (keep-alive, bounded connection pool).

    aiohttp has no write timeout, so ``write_timeout`` is not used: requests are bounded by the
    connect and read timeouts, and uploads as a whole by :data:`MEDIA_TIMEOUT`.
    """

    __slots__ = ("_pool_size", "_session", "_timeout")

    def __init__(self, pool_size: int = 256, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._pool_size = pool_size
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        """The default read timeout; PTB adds the long-polling time to it for ``getUpdates``."""
        return self._timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector, raise_for_status=False)

    async def shutdown(self) -> None:
        """Close the session and its pooled connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; aiohttp's errors become PTB's ``TimedOut`` and ``NetworkError``."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        timeout = aiohttp.ClientTimeout(
            total=MEDIA_TIMEOUT if files else None,
            connect=self._given(pool_timeout, self._timeout),
            sock_connect=self._given(connect_timeout, self._timeout),
            sock_read=self._given(read_timeout, self._timeout),
        )
        try:
            body, headers = _body(request_data)
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # before ClientError: some are both
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    @staticmethod
    def _given(value: ODVInput[float], default: float) -> float | None:
        return default if isinstance(value, DefaultValue) else value


def _body(
    request_data: RequestData | None,
) -> tuple[bytes | aiohttp.FormData | None, dict[str, str]]:
    """JSON for plain calls (encoded in C, unlike a URL-encoded form); multipart with files."""
    if request_data is None:
        return None, _PLAIN
    if not request_data.contains_files:
        return request_data.json_payload, _JSON
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, _PLAIN  # aiohttp sets the multipart Content-Type with its boundary
