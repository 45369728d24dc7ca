"""Prometheus metrics: what the bot does, for an operator's dashboard.

One registry per process (``METRICS``), served at ``/metrics`` in webhook mode. Labels are
fixed, small sets (update kinds, outcomes, error class names): never message text or user ids.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.features.knowledge.ports import QuestionLog
from nlu.rasa_client import CircuitState
from nlu.select import FallbackNlu
from nlu.types import NluBackend

REPLY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The bot's counters, gauges and histograms, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.updates = Counter(
            "digilotse_updates", "Updates handled, by kind", ["kind"], registry=registry
        )
        self.reply_seconds = Histogram(
            "digilotse_update_seconds",
            "Time from taking an update to finishing its reply",
            buckets=REPLY_BUCKETS,
            registry=registry,
        )
        self.outcomes = Counter(
            "digilotse_questions",
            "Questions by outcome (answer, suggest, abstain)",
            ["outcome"],
            registry=registry,
        )
        self.broadcast = Counter(
            "digilotse_broadcast_messages",
            "Broadcast messages by state (queued, sent, blocked, failed)",
            ["state"],
            registry=registry,
        )
        self.broadcast_pace = Gauge(
            "digilotse_broadcast_pace",
            "Configured broadcast messages per second",
            registry=registry,
        )
        self.leader = Gauge(
            "digilotse_leader",
            "1 while this replica does the once-only work (broadcasts, reminders, purge)",
            registry=registry,
        )
        self.errors = Counter(
            "digilotse_errors",
            "Errors while handling updates, by type",
            ["type"],
            registry=registry,
        )

        self._nlu = _NluCollector()
        registry.register(self._nlu)

    def watch_nlu(self, backend: NluBackend | None) -> None:
        """Report the Rasa circuit and the fallback count of ``backend`` at each scrape."""
        self._nlu.backend = backend

    def render(self) -> tuple[bytes, str]:
        """The text exposition format and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def update_kind(update: object) -> str:
    """A coarse, fixed label for an update: message, command, callback, member or other."""
    message = getattr(update, "message", None)
    if message is not None:
        text = getattr(message, "text", None) or ""
        return "command" if text.startswith("/") else "message"
    if getattr(update, "callback_query", None) is not None:
        return "callback"
    if getattr(update, "my_chat_member", None) is not None:
        return "member"
    if getattr(update, "edited_message", None) is not None:
        return "edited"
    return "other"


class _NluCollector(Collector):
    """Rasa circuit state and fallback count, read from the NLU backend when scraped."""

    def __init__(self) -> None:
        self.backend: NluBackend | None = None

    def collect(self) -> Iterator[Metric]:
        """Yield the two NLU families (zero without Rasa)."""
        backend = self.backend
        rasa = isinstance(backend, FallbackNlu)
        state = backend.primary.breaker.state if isinstance(backend, FallbackNlu) else None
        circuit = GaugeMetricFamily(
            "digilotse_rasa_circuit_open", "1 while the Rasa circuit is open (or half-open)"
        )
        circuit.add_metric([], 0.0 if state in (None, CircuitState.CLOSED) else 1.0)
        fallbacks = CounterMetricFamily(
            "digilotse_nlu_fallbacks", "Messages the embedded NLU answered because Rasa did not"
        )
        fallbacks.add_metric(
            [], float(backend.fallbacks) if isinstance(backend, FallbackNlu) else 0
        )
        enabled = GaugeMetricFamily("digilotse_rasa_enabled", "1 when Rasa is the primary NLU")
        enabled.add_metric([], 1.0 if rasa else 0.0)
        yield from (circuit, fallbacks, enabled)


class CountingQuestionLog:
    """A :class:`QuestionLog` that counts outcomes for ``/metrics``, then records as before."""

    def __init__(self, inner: QuestionLog, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    async def record(
        self, user_id: int, question: str, outcome: str, entry_id: str | None, confidence: float
    ) -> None:
        """Count the outcome label (never the question), then store."""
        self._metrics.outcomes.labels(outcome).inc()
        await self._inner.record(user_id, question, outcome, entry_id, confidence)


METRICS = Metrics()
