"""PTB clients wired to a stand-in.

``httpx`` loads the system CA bundle for every client it creates (0.1–0.3 s each, and a PTB
Bot has two clients).  The stand-in speaks plain HTTP, so these helpers switch certificate
loading off; everything else is PTB's default request path.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot
from telegram.ext import ApplicationBuilder
from telegram.request import HTTPXRequest

_NO_CA = {"verify": False}


def fast_request(connection_pool_size: int = 256) -> HTTPXRequest:
    """PTB's HTTPXRequest without loading CA certificates (plain-HTTP stand-in only)."""
    return HTTPXRequest(connection_pool_size=connection_pool_size, httpx_kwargs=dict(_NO_CA))


def make_bot(token: str, base_url: str) -> Bot:
    """A ``telegram.Bot`` talking to the stand-in (use ``async with`` to initialise it)."""
    return Bot(
        token,
        base_url=base_url,
        request=fast_request(),
        get_updates_request=fast_request(connection_pool_size=1),
    )


def application_builder(
    token: str, base_url: str
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """``ApplicationBuilder`` with token, base_url and fast requests already set."""
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .request(fast_request())
        .get_updates_request(fast_request(connection_pool_size=1))
    )
