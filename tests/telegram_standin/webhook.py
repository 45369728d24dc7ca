"""The webhook direction: POST updates to the bot like Telegram does.

:func:`post_update` sends one update by hand.  :class:`Deliverer` runs inside the server loop
while a webhook is set (by the bot's setWebhook) and pushes queued updates in order, retrying
a failed delivery after ``retry_delay`` (Telegram retries too, and reports the last error in
getWebhookInfo).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
JSON = dict[str, Any]


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to deliver an update; ``status`` is 0 when no HTTP response came back."""

    update_id: int
    url: str
    status: int
    error: str | None
    timestamp: float

    @property
    def ok(self) -> bool:
        """Telegram treats any 2xx as delivered."""
        return 200 <= self.status < 300


def _headers(secret_token: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret_token:
        headers[SECRET_HEADER] = secret_token
    return headers


def post_update(
    url: str, update: JSON, *, secret_token: str | None = None, timeout: float = 10.0
) -> httpx.Response:
    """POST one update JSON to a webhook URL with Telegram's secret-token header."""
    body = json.dumps(update)
    headers = _headers(secret_token)
    # verify=False: test webhooks are plain HTTP or self-signed, and skipping the CA bundle
    # saves 0.1-0.3 s per call.
    return httpx.post(url, content=body, headers=headers, timeout=timeout, verify=False)


class WebhookSource(Protocol):
    """What the deliverer needs from the server."""

    def next_delivery(self) -> tuple[str, str | None, JSON] | None:
        """(url, secret_token, update) of the oldest undelivered update, or None."""

    def finish_delivery(self, delivery: WebhookDelivery) -> None:
        """Record an attempt; on success the update leaves the queue."""


class Deliverer:
    """Pushes queued updates to the webhook, one at a time, in order."""

    def __init__(self, source: WebhookSource, retry_delay: float = 0.5) -> None:
        self._source = source
        self._retry_delay = retry_delay
        self._wake = asyncio.Event()
        self._client: httpx.AsyncClient | None = None  # created on first use (SSL setup is slow)

    def wake(self) -> None:
        """Call from the server loop when updates or the webhook changed."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until cancelled."""
        try:
            while True:
                job = self._source.next_delivery()
                if job is None:
                    await self._wake.wait()
                    self._wake.clear()
                    continue
                delivery = await self._post(*job)
                self._source.finish_delivery(delivery)
                if not delivery.ok:
                    await asyncio.sleep(self._retry_delay)
        finally:
            if self._client is not None:
                await self._client.aclose()

    async def _post(self, url: str, secret: str | None, update: JSON) -> WebhookDelivery:
        update_id = int(update["update_id"])
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10.0, verify=False)  # see post_update
        try:
            response = await self._client.post(
                url, content=json.dumps(update), headers=_headers(secret)
            )
        except httpx.HTTPError as err:
            logger.debug("webhook delivery of update %s failed: %r", update_id, err)
            return WebhookDelivery(update_id, url, 0, f"Connection failed: {err!r}", time.time())
        error = (
            None
            if response.is_success
            else f"Wrong response from the webhook: {response.status_code}"
        )
        return WebhookDelivery(update_id, url, response.status_code, error, time.time())
