"""Follow-up questions read against the entry just shown (knowledge.retrieval.context)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from knowledge.followups import evaluate_followups, format_followups
from knowledge.loader import load_entries
from knowledge.retrieval import Retriever
from knowledge.retrieval.context import (
    _neighbour_by_ordinal,
    _neighbourhood,
    _previous_answers,
    decide_in_context,
    might_follow_up,
)

BLIND_PATH = Path(__file__).resolve().parents[2] / "data" / "kb_blind.yaml"
# Measured on the test half: 2026-12-03 80.0 % (20 of 25); 2026-12-06, after 908 more alternate
# questions (more neighbours match a short follow-up) and the ordinal/opener rules, 76.0 %. The
# issue's target is 90 %; the guard holds the measured level minus one case until the follow-up
# reading improves.
MIN_FOLLOWUPS_RIGHT = 0.72


@cache
def retriever() -> Retriever:
    return Retriever.build(load_entries().entries)


def answered(question: str, previous: str | None) -> str | None:
    decision = decide_in_context(retriever(), question, previous)
    return decision.best.id if decision.outcome == "answer" and decision.best else None


def test_an_ordinal_follow_up_picks_the_numbered_neighbour() -> None:
    assert answered("und die zweite?", "future-communities-runde-1") == "future-communities-runde-2"


def test_an_ordinal_after_a_series_overview_picks_the_neighbour_with_that_number() -> None:
    """The overview of the five Bausteine is no member of their series; "im zweiten" still is
    the one neighbour numbered 2."""
    assert answered("Was genau passiert im zweiten?", "gt-service-konzept") == (
        "baustein-2-ist-analyse"
    )


def test_an_ordinal_two_neighbours_carry_is_not_guessed_from_the_overview() -> None:
    near = _neighbourhood(retriever().by_id["gt-service-konzept"], retriever().by_id)
    firsts = {"baustein-1-projektziele", "dzk-teil-b-phase-1"}
    assert firsts <= {e.id for e in near[1:]}
    assert _neighbour_by_ordinal(["und", "der", "erste"], near) is None


def test_a_longer_question_opening_with_und_leans_on_the_previous_entry() -> None:
    question = "Und wie kriegen wir die in unsere eigenen Onlinedienste rein?"
    assert len(question.split()) > 8
    assert might_follow_up(question)
    assert not might_follow_up(
        "Wie kriegen wir als kleine Gemeinde die BundID in unsere eigenen Onlinedienste rein?"
    )


def test_a_question_for_money_stays_with_the_entry_just_shown_when_it_names_an_amount() -> None:
    """The overview says "Geld" and "Förderung" more often; the entry shown names the sums."""
    assert "€" in retriever().by_id["dzk-teil-a"].answer
    assert answered("Und wie viel Geld gab es da?", "dzk-teil-a") == "dzk-teil-a"


def test_a_question_for_money_after_an_entry_without_an_amount_looks_at_the_neighbours() -> None:
    entry = retriever().by_id["digitallotsen"]
    plain = entry.model_copy(update={"answer": "Ein Programm ohne Beträge."})
    assert _previous_answers(["und", "was", "kostet", "das"], plain) is None
    assert _previous_answers(["und", "wer", "macht", "das"], entry) is None


def test_the_last_of_a_series_is_its_highest_number() -> None:
    last = answered("und die letzte?", "future-communities-runde-1")
    assert last == "future-communities-runde-3"


def test_a_follow_up_without_a_number_stays_with_the_overview_not_one_of_its_rounds() -> None:
    assert answered("Wie viel Geld war das insgesamt?", "future-communities") == (
        "future-communities"
    )


def test_an_entry_that_names_the_previous_one_as_related_is_in_its_neighbourhood() -> None:
    assert "digitallotsen" in retriever().by_id["digitallotsen-traeger"].related
    assert "digitallotsen-traeger" not in retriever().by_id["digitallotsen"].related
    assert answered("Und wer trägt das?", "digitallotsen") == "digitallotsen-traeger"


def test_what_came_after_asks_for_the_successor() -> None:
    assert answered("Was kam danach?", "digital-bw") == "digital-laend"


def test_a_question_naming_its_own_topic_is_not_bent_towards_the_previous_entry() -> None:
    own = retriever().decide("Was regelt das Onlinezugangsgesetz?")
    assert own.best is not None
    assert answered("Was regelt das Onlinezugangsgesetz?", "future-communities-runde-1") == (
        own.best.id
    )


def test_without_a_previous_entry_the_question_is_decided_on_its_own() -> None:
    assert decide_in_context(retriever(), "und die zweite?", None) == retriever().decide(
        "und die zweite?"
    )


def test_short_and_pointing_questions_may_follow_up_long_ones_do_not() -> None:
    assert might_follow_up("Und wie viel Geld gab es da?")
    assert might_follow_up("bis wann?")
    assert not might_follow_up(
        "Welche Förderprogramme für die Digitalisierung kleiner Gemeinden laufen 2026 noch?"
    )


def test_follow_ups_of_the_blind_test_half_are_answered_from_the_right_entry() -> None:
    results = evaluate_followups(retriever(), BLIND_PATH, "test")
    print("\n".join(format_followups(results, verbose=True)))
    assert len(results) >= 25
    assert sum(r.right for r in results) / len(results) >= MIN_FOLLOWUPS_RIGHT


def test_a_short_question_naming_no_topic_is_read_against_the_entry_just_shown() -> None:
    own = retriever().decide("Wie viel Geld gab es insgesamt?")
    assert own.best is None or own.best.id != "future-communities"
    assert answered("Wie viel Geld gab es insgesamt?", "future-communities") == (
        "future-communities"
    )


def test_a_short_question_naming_a_topic_of_the_base_is_decided_on_its_own() -> None:
    own = retriever().decide("Wie kann ich Termine abonnieren?")
    assert own.outcome == "answer"
    assert own.best is not None
    assert answered("Wie kann ich Termine abonnieren?", "ozg-frist") == own.best.id
