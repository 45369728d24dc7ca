"""Prometheus metrics: fixed labels, NLU state read at scrape time, no message text."""

from __future__ import annotations

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User

from bot.metrics import CountingQuestionLog, Metrics, update_kind
from nlu.select import build_nlu

USER = User(7, "Ada", is_bot=False)
CHAT = Chat(7, "private")


def _message(text: str) -> Update:
    return Update(1, message=Message(1, None, CHAT, from_user=USER, text=text))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("update", "kind"),
    [
        pytest.param(_message("/start"), "command", id="command"),
        pytest.param(_message("Was ist das OZG?"), "message", id="message"),
        pytest.param(
            Update(2, callback_query=CallbackQuery("q", USER, "chat", data="x")),
            "callback",
            id="callback",
        ),
        pytest.param(object(), "other", id="other"),
    ],
)
def test_update_kind_is_a_fixed_label(update: object, kind: str) -> None:
    """Each update maps to one of a few labels, never to its text."""
    assert update_kind(update) == kind


async def test_rasa_circuit_and_fallbacks_are_read_when_scraped() -> None:
    """An unreachable Rasa server opens the circuit and counts the fallbacks."""
    backend = build_nlu("rasa", "http://127.0.0.1:9", "token", failure_threshold=2, timeout=0.2)
    metrics = Metrics()
    metrics.watch_nlu(backend)
    before = metrics.render()[0].decode()
    for _ in range(3):
        await backend.parse("Was ist das OZG?")
    after = metrics.render()[0].decode()
    await backend.aclose()  # type: ignore[attr-defined]
    assert "digilotse_rasa_circuit_open 0.0" in before
    assert "digilotse_rasa_circuit_open 1.0" in after
    assert "digilotse_nlu_fallbacks_total 3.0" in after
    assert "OZG" not in after


def test_embedded_only_reports_rasa_disabled() -> None:
    """Without Rasa the circuit reads closed and Rasa as not enabled."""
    metrics = Metrics()
    metrics.watch_nlu(build_nlu("embedded"))
    text = metrics.render()[0].decode()
    assert "digilotse_rasa_enabled 0.0" in text
    assert "digilotse_rasa_circuit_open 0.0" in text


class _Log:
    def __init__(self) -> None:
        self.rows: list[tuple[int, str, str]] = []

    async def record(
        self, user_id: int, question: str, outcome: str, entry_id: str | None, confidence: float
    ) -> None:
        self.rows.append((user_id, question, outcome))


async def test_question_outcomes_are_counted_and_still_recorded() -> None:
    """Each recorded question counts its outcome label; the row still reaches the log."""
    metrics = Metrics()
    inner = _Log()
    log = CountingQuestionLog(inner, metrics)
    await log.record(1, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
    await log.record(1, "Hundesteuer", "abstain", None, 0.1)
    text = metrics.render()[0].decode()
    assert 'digilotse_questions_total{outcome="answer"} 1.0' in text
    assert 'digilotse_questions_total{outcome="abstain"} 1.0' in text
    assert len(inner.rows) == 2
    assert "Hundesteuer" not in text
