"""Every scoring rule of the check, on small hand-made dimensions."""

from __future__ import annotations

from fractions import Fraction

import pytest

from knowledge.check.scoring import DimensionSpec, level_of, score_check, score_dimension

STRATEGY = DimensionSpec("strategie", ("S1", "S2", "S3"), fundament=True)
ONLINE = DimensionSpec("online", ("O1", "O2", "O3"))
DATA = DimensionSpec("daten", ("D1", "D2", "D3"))
IT = DimensionSpec("it", ("I1", "I2", "I3"), fundament=True)


def test_weiss_nicht_is_not_a_zero() -> None:
    scored = score_dimension(ONLINE, {"O1": 4, "O2": 2, "O3": None}, 3)
    assert scored.score == 3
    assert scored.answered == 2
    assert scored.unknown == 1


def test_dimension_with_fewer_than_two_answers_is_unrated() -> None:
    scored = score_dimension(ONLINE, {"O1": 4, "O2": None, "O3": None}, 3)
    assert scored.score is None
    assert scored.level is None
    assert not scored.rated
    assert scored.uncertain


@pytest.mark.parametrize(
    ("score", "level"),
    [
        pytest.param(Fraction(0), 0, id="0.0"),
        pytest.param(Fraction(79, 100), 0, id="0.79"),
        pytest.param(Fraction(4, 5), 1, id="0.8"),
        pytest.param(Fraction(8, 5), 2, id="1.6"),
        pytest.param(Fraction(12, 5) - Fraction(1, 100), 2, id="2.39"),
        pytest.param(Fraction(12, 5), 3, id="2.4"),
        pytest.param(Fraction(16, 5), 4, id="3.2"),
        pytest.param(Fraction(4), 4, id="4.0"),
    ],
)
def test_band_edges_are_inclusive_at_the_lower_end(score: Fraction, level: int) -> None:
    assert level_of(score) == level


def test_mean_of_12_over_5_lands_exactly_on_the_edge() -> None:
    spec = DimensionSpec("x", ("a", "b", "c", "d", "e"))
    scored = score_dimension(spec, {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}, 3)
    assert scored.score == Fraction(12, 5)
    assert scored.level == 3


def test_overall_is_mean_of_rated_dimensions_only() -> None:
    answers = {"O1": 4, "O2": 4, "D1": 2, "D2": 2, "S1": None}
    result = score_check([STRATEGY, ONLINE, DATA], answers, {})
    assert result.overall == 3
    assert result.level == 3
    assert not result.capped


def test_fundament_rule_caps_overall_level_at_weak_level_plus_two() -> None:
    answers = {"I1": 0, "I2": 0, **{q: 4 for q in ("O1", "O2", "O3", "D1", "D2", "D3")}}
    answers |= {"S1": 4, "S2": 4, "S3": 4}
    result = score_check([STRATEGY, ONLINE, DATA, IT], answers, {})
    assert result.raw_level == 3
    assert result.level == 2
    assert result.capped
    assert result.priorities[0] == "it"


def test_fundament_rule_does_not_apply_at_level_two() -> None:
    answers = {"I1": 2, "I2": 2, "O1": 4, "O2": 4, "D1": 4, "D2": 4}
    result = score_check([ONLINE, DATA, IT], answers, {})
    assert not result.capped
    assert result.level == result.raw_level


def test_priorities_by_gap_with_ties_fundament_first_then_order() -> None:
    answers = {"O1": 1, "O2": 1, "D1": 2, "D2": 2, "S1": 2, "S2": 2, "I1": 2, "I2": 2}
    result = score_check([ONLINE, DATA, STRATEGY, IT], answers, {})
    assert result.priorities == ("online", "strategie", "it")


def test_dimensions_at_target_are_no_field_of_action_and_targets_count() -> None:
    answers = {"O1": 3, "O2": 3, "D1": 3, "D2": 3}
    assert score_check([ONLINE, DATA], answers, {}).priorities == ()
    assert score_check([ONLINE, DATA], answers, {"daten": 4}).priorities == ("daten",)


def test_strengths_are_the_two_best_dimensions_from_level_two() -> None:
    answers = {"O1": 4, "O2": 4, "D1": 3, "D2": 3, "S1": 1, "S2": 1, "I1": 3, "I2": 3}
    result = score_check([STRATEGY, ONLINE, DATA, IT], answers, {})
    assert result.strengths == ("online", "daten")
    assert score_check([STRATEGY], {"S1": 1, "S2": 1}, {}).strengths == ()


def test_weights_change_the_overall_mean() -> None:
    light = DimensionSpec("daten", ("D1", "D2"), weight=Fraction(1, 2))
    result = score_check([ONLINE, light], {"O1": 4, "O2": 4, "D1": 1, "D2": 1}, {})
    assert result.overall == 3


def test_nothing_answered_gives_no_overall() -> None:
    result = score_check([ONLINE], {}, {})
    assert result.overall is None
    assert result.level is None
    assert result.priorities == ()
