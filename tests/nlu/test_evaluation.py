"""Scoring predictions and reporting them side by side."""

from __future__ import annotations

import os

import pytest

from nlu.embedded import EmbeddedNlu
from nlu.evaluation import (
    Footprint,
    Prediction,
    format_errors,
    format_table,
    load_test_examples,
    predict,
    process_rss_mb,
    rasa_footprint,
    score,
)
from nlu.rasa_data import parse_example
from nlu.types import Entity, IntentScore, ParseResult


def _prediction(line: str, intent: str, got: str, entities: tuple[Entity, ...] = ()) -> Prediction:
    example = parse_example(line, intent)
    result = ParseResult(example.text, IntentScore(got, 0.9), (), entities)
    return Prediction(example, result, 0.001)


def test_score_counts_intents_entities_and_fallbacks() -> None:
    """One right, one wrong, one fallback; the entity is found."""
    predictions = [
        _prediction("Hallo", "greet", "greet"),
        _prediction(
            "Was ist [OZG](topic:ozg)?",
            "ask_knowledge",
            "ask_knowledge",
            (Entity("topic", "ozg", 8, 11),),
        ),
        _prediction("Tschau", "goodbye", "nlu_fallback"),
    ]
    report = score("x", predictions, Footprint())
    assert report.intent_accuracy == pytest.approx(2 / 3)
    assert report.fallback_rate == pytest.approx(1 / 3)
    assert report.entities.f1 == 1.0
    assert report.errors == (("Tschau", "goodbye", "nlu_fallback"),)
    assert "goodbye -> nlu_fallback" in " ".join(format_errors(report).split())


def test_table_shows_backends_side_by_side() -> None:
    """One column per backend, n/a for what could not be measured."""
    report = score("embedded", [_prediction("Hallo", "greet", "greet")], Footprint(12.0, 0.1))
    other = score("rasa", [_prediction("Hallo", "greet", "help")], Footprint())
    table = format_table([report, other])
    header, accuracy_row = table.splitlines()[0], table.splitlines()[2]
    assert header.split() == ["metric", "embedded", "rasa"]
    assert accuracy_row.split() == ["intent", "accuracy", "100.0%", "0.0%"]
    assert "n/a" in table


async def test_predict_repeats_for_latency_but_scores_each_example_once(
    embedded: EmbeddedNlu,
) -> None:
    """Repeats add latency samples, not weight."""
    examples = load_test_examples()[:5]
    predictions = await predict(embedded, examples, repeat=3)
    assert len(predictions) == 15
    assert score("embedded", predictions, Footprint()).examples == 5


def test_rss_of_this_process_is_readable() -> None:
    """The figure used for Rasa's server process, read from /proc."""
    rss = process_rss_mb(os.getpid())
    assert rss is not None
    assert rss > 1


def test_rasa_footprint_without_pid_file_says_so(tmp_path: os.PathLike[str]) -> None:
    """No server, no memory figure, and a note explaining why."""
    footprint = rasa_footprint(5999, run_dir=tmp_path)  # type: ignore[arg-type]
    assert footprint.rss_mb is None
    assert "no pid file" in footprint.note
