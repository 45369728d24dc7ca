"""Rendering an entry: title, body, sources, Stand, and the review line once review_by passed."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.markup import validate_html
from knowledge.render import render_answer
from knowledge.schema import Entry

REVIEW_LINE = "Zuletzt geprüft am 01.02.2026; bitte an der Quelle prüfen."


def make_entry(**changes: object) -> Entry:
    """A small valid entry with ``review_by`` 2026-12-01; ``changes`` override fields."""
    fields: dict[str, object] = {
        "id": "eins",
        "title": "Titel & Co",
        "category": "ozg",
        "questions": ("Frage eins?", "Frage zwei?", "Frage drei?"),
        "answer": "Die Antwort steht hier.",
        "sources": ({"title": "Quelle A", "url": "https://example.org/a"},),
        "stand": dt.date(2026, 2, 1),
        "review_by": dt.date(2026, 12, 1),
    }
    return Entry.model_validate(fields | changes)


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        pytest.param(dt.date(2026, 12, 2), True, id="day-after-review-by"),
        pytest.param(dt.date(2026, 12, 1), False, id="on-review-by"),
        pytest.param(None, False, id="no-date"),
    ],
)
def test_the_review_line_appears_only_once_review_by_has_passed(
    today: dt.date | None, shown: bool
) -> None:
    html = render_answer(make_entry(), today=today)

    assert (REVIEW_LINE in html) is shown
    assert validate_html(html) == []


def test_the_review_line_is_the_last_line_of_the_detail_too() -> None:
    entry = make_entry(detail="Der längere Text.", confidence="mittel")

    html = render_answer(entry, detail=True, today=dt.date(2027, 1, 1))

    assert html.splitlines()[-1] == REVIEW_LINE
    assert "Der längere Text." in html


def test_an_entry_without_review_by_never_gets_the_review_line() -> None:
    html = render_answer(make_entry(review_by=None), today=dt.date(2030, 1, 1))

    assert "bitte an der Quelle prüfen" not in html


def test_the_bots_own_text_is_named_as_a_source_without_a_link() -> None:
    own = {"title": "Digilotse: Datenschutzhinweise (/datenschutz)", "own_text": "/datenschutz"}
    entry = make_entry(category="bot", sources=(own,))

    html = render_answer(entry)

    assert "Quelle: Digilotse: Datenschutzhinweise (/datenschutz)" in html
    assert "<a " not in html
