"""What kind of free text arrived: a question or a municipality name (while the check waits)."""

from __future__ import annotations

import pytest

from bot.dialogue.input_shape import looks_like_question


@pytest.mark.parametrize(
    "text",
    [
        "Was ist das OZG",
        "gibt es förderung für kleine gemeinden",
        "Wie lange dauert der Check?",
        "OZG?",
        "wer bezahlt die lotsenausbildung",
        "Kann ich den Check später fortsetzen",
        "ich wollte eigentlich nur wissen welche programme es gerade gibt",
    ],
)
def test_questions_are_recognised_with_or_without_question_mark(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Musterhausen",
        "Freiburg im Breisgau",
        "Stadt Villingen-Schwenningen",
        "Weil am Rhein",
        "Wiesloch",
        "Gemeinde Bad Herrenalb",
        "St. Georgen im Schwarzwald",
    ],
)
def test_municipality_names_are_not_taken_for_questions(text: str) -> None:
    assert not looks_like_question(text)


def test_text_without_letters_is_no_question() -> None:
    assert not looks_like_question("12345")
