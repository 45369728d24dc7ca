"""Choose the NLU backend once, in the composition root.

``build_nlu("embedded")`` is the in-process backend. ``build_nlu("rasa", url, token)`` asks Rasa
first and, for any message Rasa cannot answer (down, slow, erroring, circuit open), the embedded
backend. Building never contacts Rasa, so start-up never waits for it.
"""

from __future__ import annotations

import logging
from typing import Literal

from nlu.embedded import EmbeddedNlu
from nlu.rasa_client import CircuitBreaker, RasaNlu
from nlu.types import FALLBACK_INTENT, NluBackend, ParseResult

logger = logging.getLogger(__name__)

BackendName = Literal["embedded", "rasa"]


def is_unavailable(result: ParseResult) -> bool:
    """True for :meth:`ParseResult.unavailable` (no answer), not for a real ``nlu_fallback``."""
    return (
        result.intent.name == FALLBACK_INTENT
        and result.intent.confidence == 0.0
        and not result.intent_ranking
    )


class FallbackNlu:
    """Ask ``primary``; when it has no answer, ask ``fallback`` for the same message."""

    def __init__(self, primary: RasaNlu, fallback: EmbeddedNlu):
        self.primary = primary
        self.fallback = fallback
        self.fallbacks = 0  # messages the fallback answered (for the operator's metrics)

    async def parse(self, text: str) -> ParseResult:
        """Parse with the primary backend, degrading to the fallback per message."""
        result = await self.primary.parse(text)
        if is_unavailable(result):
            self.fallbacks += 1
            return await self.fallback.parse(text)
        return result

    async def aclose(self) -> None:
        """Close the primary's connections."""
        await self.primary.aclose()


def build_nlu(
    backend: BackendName,
    rasa_url: str | None = None,
    rasa_token: str | None = None,
    *,
    embedded: EmbeddedNlu | None = None,
    timeout: float = 0.8,
    failure_threshold: int = 3,
    cooldown: float = 30.0,
) -> NluBackend:
    """Build the configured backend; ``embedded`` may be passed in to share one instance.

    ``timeout`` bounds each Rasa request; after ``failure_threshold`` consecutive failures Rasa
    is not asked for ``cooldown`` seconds.
    """
    local = embedded or EmbeddedNlu.load()
    if backend == "embedded":
        return local
    if backend != "rasa":
        raise ValueError(f"unknown NLU backend {backend!r}; expected 'embedded' or 'rasa'")
    if not rasa_url:
        raise ValueError("the 'rasa' NLU backend needs a Rasa URL (e.g. http://rasa:5005)")
    logger.info("NLU: Rasa at %s with embedded fallback", rasa_url)
    breaker = CircuitBreaker(failure_threshold, cooldown)
    return FallbackNlu(RasaNlu(rasa_url, rasa_token, timeout=timeout, breaker=breaker), local)


async def aclose(backend: NluBackend) -> None:
    """Release whatever the backend holds (HTTP connections); safe for every backend."""
    close = getattr(backend, "aclose", None)
    if close is not None:
        await close()
