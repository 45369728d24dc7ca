"""Client for a Rasa NLU server's ``POST /model/parse``, degrading instead of failing.

Any timeout, connection error, non-200 status or malformed body yields
:meth:`ParseResult.unavailable` ("no intent, confidence 0"), so the caller can use the embedded
backend for that message. A circuit breaker stops calling a server that keeps failing: after
``failure_threshold`` consecutive failures it opens for ``cooldown`` seconds (no requests at all),
then lets one probe through (half-open); a successful probe closes it again.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import re
import time
from collections.abc import Callable

import httpx

from nlu.types import ParseResult

logger = logging.getLogger(__name__)

_TOKEN_IN_URL = re.compile(r"(token=)[^&\s\"']+")


class RedactTokenFilter(logging.Filter):
    """Hide ``token=…`` in log records: httpx logs every request URL at INFO, and Rasa takes
    its auth token as a query parameter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        return True


def _redact(arg: object) -> object:
    text = str(arg) if isinstance(arg, httpx.URL | str) else None
    if text is None or "token=" not in text:
        return arg
    return _TOKEN_IN_URL.sub(r"\1***", text)


def install_token_redaction() -> None:
    """Attach :class:`RedactTokenFilter` to the ``httpx`` logger once."""
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, RedactTokenFilter) for f in httpx_logger.filters):
        httpx_logger.addFilter(RedactTokenFilter())


class CircuitState(enum.Enum):
    """Where the breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts consecutive failures and decides whether a request may be sent."""

    def __init__(
        self,
        failure_threshold: int = 3,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        if failure_threshold < 1 or cooldown < 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown >= 0")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at = 0.0
        self._state = CircuitState.CLOSED
        self._probing = False

    @property
    def state(self) -> CircuitState:
        """The current state (an open breaker past its cool-down reports half-open)."""
        if self._state is CircuitState.OPEN and self._cooled_down():
            return CircuitState.HALF_OPEN
        return self._state

    def allow(self) -> bool:
        """Return True when a request may go out now (at most one probe while half-open)."""
        if self._state is CircuitState.CLOSED:
            return True
        if self._state is CircuitState.OPEN:
            if not self._cooled_down():
                return False
            self._state = CircuitState.HALF_OPEN
        if self._probing:
            return False
        self._probing = True
        return True

    def record_success(self) -> None:
        """A request succeeded: close the breaker."""
        if self._state is not CircuitState.CLOSED:
            logger.info("Rasa reachable again; circuit closed")
        self._state, self._failures, self._probing = CircuitState.CLOSED, 0, False

    def record_failure(self) -> None:
        """A request failed: count it, and open the breaker at the threshold or a failed probe."""
        self._failures += 1
        self._probing = False
        if self._state is CircuitState.HALF_OPEN or self._failures >= self.failure_threshold:
            if self._state is CircuitState.CLOSED:
                logger.warning("Rasa failed %d times in a row; circuit open", self._failures)
            self._state, self._opened_at = CircuitState.OPEN, self._clock()

    def _cooled_down(self) -> bool:
        return self._clock() - self._opened_at >= self.cooldown


class RasaNlu:
    """An :class:`nlu.types.NluBackend` backed by a Rasa server (one keep-alive connection pool)."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 0.8,
        breaker: CircuitBreaker | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self._token = token
        self._timeout = timeout
        install_token_redaction()
        self.breaker = breaker or CircuitBreaker()
        limits = httpx.Limits(max_connections=8, max_keepalive_connections=4)
        self._client = httpx.AsyncClient(
            base_url=url.rstrip("/"), timeout=timeout, limits=limits, transport=transport
        )

    async def parse(self, text: str) -> ParseResult:
        """Ask Rasa; on any problem return ``ParseResult.unavailable(text)``."""
        if not self.breaker.allow():
            return ParseResult.unavailable(text)
        try:
            payload = await self._post(text)
        except BaseException:
            # Cancelled mid-request (e.g. the half-open trial): count it, or the breaker would
            # wait forever for a trial that never reports back.
            self.breaker.record_failure()
            raise
        if payload is None:
            self.breaker.record_failure()
            return ParseResult.unavailable(text)
        self.breaker.record_success()
        # Rasa echoes the text; keep the caller's exact string either way.
        return dataclasses.replace(ParseResult.from_rasa(payload), text=text)

    async def _post(self, text: str) -> dict[str, object] | None:
        params = {"token": self._token} if self._token else None
        try:
            response = await self._client.post("/model/parse", params=params, json={"text": text})
        except httpx.HTTPError as exc:
            logger.warning("Rasa request failed: %s", type(exc).__name__)
            return None
        if response.status_code != 200:
            logger.warning("Rasa answered HTTP %d", response.status_code)
            return None
        try:
            payload = response.json()
        except ValueError:
            logger.warning("Rasa answered with a body that is not JSON")
            return None
        return payload if isinstance(payload, dict) else None

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
