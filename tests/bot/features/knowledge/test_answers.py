"""Knowledge answers in the bot: answer first with alternatives, the review line."""

from __future__ import annotations

import datetime as dt

from bot.dialogue import callbacks
from bot.dialogue.texts import load_texts
from bot.features.knowledge.answers import OFFERED, SHOW, KnowledgeFeature
from knowledge.retrieval import Decision
from knowledge.schema import Entry
from tests.bot.conftest import knowledge

REVIEW_HINT = "bitte an der Quelle prüfen."


class Clock:
    """A date the test moves forward."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def __call__(self) -> dt.date:
        return self.today


def test_an_answer_gains_the_review_line_when_review_by_passes_while_running() -> None:
    base = knowledge()
    entry = base.entries["ozg-grundlagen"]
    assert entry.review_by is not None
    clock = Clock(entry.review_by)
    feature = KnowledgeFeature(base.entries, base.retriever, load_texts(), today=clock)

    before = feature.answer_turn(entry).replies[0].html
    clock.today = entry.review_by + dt.timedelta(days=1)
    after = feature.answer_turn(entry).replies[0].html

    assert REVIEW_HINT not in before
    assert after.endswith(f"Zuletzt geprüft am {entry.stand:%d.%m.%Y}; {REVIEW_HINT}")


def _feature() -> tuple[KnowledgeFeature, dict[str, Entry]]:
    base = knowledge()
    return KnowledgeFeature(base.entries, base.retriever, load_texts()), dict(base.entries)


def test_a_clear_answer_comes_first_with_close_candidates_as_buttons_under_it() -> None:
    """The answer is shown; the runners-up follow as "Oder: …" buttons, before related ones."""
    feature, entries = _feature()
    best, other = entries["ozg-grundlagen"], entries["ozg2"]
    decision = Decision("answer", 0.8, best, (), (other,), hedged=False)
    reply = feature.decision_turn(decision).replies[0]
    assert reply.html == feature.answer_turn(best).replies[0].html
    first = reply.buttons[0][0]
    assert first.label.startswith("Oder: ")
    assert first.data == callbacks.encode(SHOW, other.id, OFFERED)
    assert reply.buttons[1:] == feature.answer_turn(best).replies[0].buttons


def test_a_middling_answer_says_so_in_one_line_above_it() -> None:
    feature, entries = _feature()
    best = entries["ozg-grundlagen"]
    reply = feature.decision_turn(Decision("answer", 0.5, best, (), (), hedged=True)).replies[0]
    hedge, _, rest = reply.html.partition("\n\n")
    assert hedge == load_texts()["answer_hedged"]
    assert rest == feature.answer_turn(best).replies[0].html


def test_a_sure_answer_without_runners_up_is_the_plain_answer() -> None:
    feature, entries = _feature()
    best = entries["ozg-grundlagen"]
    turn = feature.decision_turn(Decision("answer", 0.99, best, ()))
    assert turn == feature.answer_turn(best)


def test_the_retriever_answers_a_general_question_with_the_overview_entry() -> None:
    """ "Was ist das OZG?" reaches the OZG overview, not the OZG 2.0 entry."""
    decision = knowledge().retriever.decide("Was ist das OZG?")
    assert decision.outcome == "answer"
    assert decision.best is not None
    assert decision.best.id == "ozg-grundlagen"
