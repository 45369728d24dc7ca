"""Evaluation metrics."""

from __future__ import annotations

import pytest

from nlu.metrics import PRF, accuracy, entity_prf, macro_f1, percentile


def test_accuracy_and_macro_f1_weigh_every_gold_intent_alike() -> None:
    """A small intent's errors weigh as much in macro-F1 as a big one's."""
    gold = ["a", "a", "a", "b"]
    predicted = ["a", "a", "a", "a"]
    assert accuracy(gold, predicted) == 0.75
    assert macro_f1(gold, predicted) == pytest.approx((2 * 0.75 / 1.75 + 0.0) / 2)


def test_entity_scores_count_type_and_value_pairs() -> None:
    """A wrong value is a false positive and a false negative."""
    gold = [[("baustein", "3")], [("topic", "ozg")], []]
    predicted = [[("baustein", "3")], [("topic", "ozg2")], [("topic", "ozg")]]
    scores = entity_prf(gold, predicted)
    assert (scores.precision, scores.recall, scores.f1) == pytest.approx((1 / 3, 1 / 2, 0.4))


def test_no_entities_anywhere_is_perfect() -> None:
    """Nothing to find and nothing found is not an error."""
    assert entity_prf([[], []], [[], []]) == PRF(1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param(50, 5.0, id="p50"),
        pytest.param(99, 10.0, id="p99"),
        pytest.param(0, 1.0, id="p0"),
    ],
)
def test_percentile_is_nearest_rank(q: float, expected: float) -> None:
    """Nearest-rank on 1..10."""
    assert percentile([float(v) for v in range(10, 0, -1)], q) == expected
