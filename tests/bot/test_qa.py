"""Knowledge answers in the bot: an entry past its review_by carries the review line."""

from __future__ import annotations

import datetime as dt

from bot.dialogue.qa import KnowledgeFeature
from bot.dialogue.texts import load_texts
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
