"""Choose answer/suggest/abstain thresholds by minimising the expected cost of the decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

GRID_STEP = 0.025
MARGINS = (0.0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
SHOWN = 3  # an answer with two alternatives, or three suggestions
SURE_PRECISION = 0.95  # answers at or above the "sure" threshold are right this often
# Share of real (tune-set) in-scope questions answered wrongly, at most: half the 3 % target,
# because the tune set is the dev half the ranking was tuned on and held-out questions are
# answered wrongly about twice as often (dev 1.3 % vs test 3.0 % when this was set).
MAX_WRONG = 0.015
MAX_OUT_OF_SCOPE = 0.025  # share of out-of-scope calibration questions answered, at most


@dataclass(frozen=True)
class Costs:
    """Cost of each outcome, relative to a wrong answer (1.0); a right answer costs 0.

    Answers come first: a wrong answer whose alternatives hold the right entry costs a click and
    a moment of doubt; a wrong answer without it misleads; an answer to a question outside the
    base misleads worst. A list of suggestions costs a click (more if the right entry is
    missing); abstaining on a question the base could answer loses the answer.
    """

    wrong_answer: float = 1.0
    wrong_answer_alternative_shown: float = 0.45
    out_of_scope_answer: float = 2.0
    suggest_hit: float = 0.4
    suggest_miss: float = 0.6
    suggest_out_of_scope: float = 0.2
    abstain_in_scope: float = 0.7


@dataclass(frozen=True)
class Sample:
    """One calibration question: candidate confidences (best first), index of the right one."""

    confidences: tuple[float, ...]
    right: int | None
    out_of_scope: bool
    weight: float
    real: bool = False  # asked as people ask (the tune set), not derived from the content


@dataclass(frozen=True)
class Thresholds:
    """Chosen thresholds and their mean cost per question."""

    answer: float
    margin: float
    suggest: float
    cost: float
    sure: float = 1.0


def choose_thresholds(samples: Sequence[Sample], costs: Costs, offer: float) -> Thresholds:
    """Grid search for the thresholds with the least weighted mean cost (ties: the safer one)."""
    first = np.array([s.confidences[0] if s.confidences else 0.0 for s in samples])
    second = np.array([s.confidences[1] if len(s.confidences) > 1 else 0.0 for s in samples])
    weight = np.array([s.weight for s in samples])
    right = np.array([s.right == 0 for s in samples])
    oos = np.array([s.out_of_scope for s in samples])
    shown = np.array([_shown(s, offer) for s in samples])
    answer_cost = np.where(
        right,
        0.0,
        np.where(
            oos,
            costs.out_of_scope_answer,
            np.where(shown, costs.wrong_answer_alternative_shown, costs.wrong_answer),
        ),
    )
    suggest_cost = np.where(
        oos, costs.suggest_out_of_scope, np.where(shown, costs.suggest_hit, costs.suggest_miss)
    )
    abstain_cost = np.where(oos, 0.0, costs.abstain_in_scope)
    grid = np.round(np.arange(GRID_STEP, 1.0, GRID_STEP), 3)
    real = np.array([s.real for s in samples]) if any(s.real for s in samples) else ~oos
    wrong = ~right & ~oos & real
    real_weight = float(weight[~oos & real].sum()) or 1.0
    oos_weight = float(weight[oos].sum()) or 1.0
    best = Thresholds(1.0, 0.0, 1.0, float("inf"))
    for answer in grid[::-1]:
        for margin in MARGINS:
            answered = (first >= answer) & (first - second >= margin)
            if float(weight[answered & wrong].sum()) / real_weight > MAX_WRONG:
                continue
            if float(weight[answered & oos].sum()) / oos_weight > MAX_OUT_OF_SCOPE:
                continue
            for suggest in grid[grid <= answer][::-1]:
                cost = np.where(
                    answered, answer_cost, np.where(first >= suggest, suggest_cost, abstain_cost)
                )
                mean = float(np.average(cost, weights=weight))
                if mean < best.cost - 1e-12:
                    best = Thresholds(float(answer), margin, float(suggest), mean)
    answered = (first >= best.answer) & (first - second >= best.margin)
    sure = sure_threshold(first[answered], right[answered], weight[answered], best.answer)
    return Thresholds(best.answer, best.margin, best.suggest, best.cost, sure)


def sure_threshold(
    first: npt.NDArray[np.float64],
    right: npt.NDArray[np.bool_],
    weight: npt.NDArray[np.float64],
    floor: float,
) -> float:
    """The least confidence from which answers are right at least SURE_PRECISION of the time."""
    for level in np.round(np.arange(floor, 1.0, GRID_STEP), 3):
        above = first >= level
        if not above.any():
            break
        if float(np.average(right[above], weights=weight[above])) >= SURE_PRECISION:
            return float(level)
    return 1.0


def _shown(sample: Sample, offer: float) -> bool:
    """Whether the reply shows the right entry (first, or offered confidently enough)."""
    right = sample.right
    return (
        right is not None and right < SHOWN and (right == 0 or sample.confidences[right] >= offer)
    )
