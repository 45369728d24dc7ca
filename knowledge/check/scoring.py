"""Scoring rules of the Digitalisierungs-Check: pure functions over answers, no I/O.

* An item scores 0–4; "Weiß nicht" (``None``) is no value, never a zero.
* A dimension's score is the mean of its answered items; with fewer than two answers it is
  unrated. Two or more "Weiß nicht" in a dimension mark it as uncertain.
* Levels are 20 % bands of 0–4: < 0.8 → 0, < 1.6 → 1, < 2.4 → 2, < 3.2 → 3, else 4.
* The overall score is the weighted mean of the rated dimensions.
* Fundament-Regel: a fundament dimension below 1.6 (level 0–1) caps the overall level at its
  level + 2 and always comes first among the fields of action.
* Fields of action: gap = max(0, target − score), largest first; ties put fundament
  dimensions first, then questionnaire order.

Arithmetic is exact (``Fraction``), so band edges such as 2.4 never fall to float rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.check.model import Questionnaire

MIN_ANSWERS = 2
UNCERTAIN_UNKNOWNS = 2
BAND_WIDTH = Fraction(4, 5)
MAX_LEVEL = 4
FUNDAMENT_THRESHOLD = 2 * BAND_WIDTH  # 1.6: below it, a fundament dimension is at level 0–1
FUNDAMENT_ALLOWANCE = 2
TOP_PRIORITIES = 3
TOP_STRENGTHS = 2


@dataclass(frozen=True)
class DimensionSpec:
    """What scoring needs to know about a dimension."""

    id: str
    question_ids: tuple[str, ...]
    fundament: bool = False
    weight: Fraction = Fraction(1)


@dataclass(frozen=True)
class DimensionScore:
    """The result of one dimension; ``score``/``level`` are ``None`` when unrated."""

    id: str
    score: Fraction | None
    level: int | None
    answered: int
    unknown: int
    fundament: bool
    target: int

    @property
    def rated(self) -> bool:
        """Whether enough questions were answered to rate the dimension."""
        return self.score is not None

    @property
    def uncertain(self) -> bool:
        """Two or more "Weiß nicht": the team should clarify internally."""
        return self.unknown >= UNCERTAIN_UNKNOWNS

    @property
    def gap(self) -> Fraction:
        """How far the dimension is below its target (0 when unrated or at target)."""
        return Fraction(0) if self.score is None else max(Fraction(0), self.target - self.score)


@dataclass(frozen=True)
class CheckScore:
    """The whole result: per dimension, overall, Fundament-Regel, priorities and strengths."""

    dimensions: tuple[DimensionScore, ...]
    overall: Fraction | None
    raw_level: int | None
    level: int | None
    capped: bool
    priorities: tuple[str, ...]
    strengths: tuple[str, ...]

    def dimension(self, dimension_id: str) -> DimensionScore:
        """The score of one dimension."""
        return next(d for d in self.dimensions if d.id == dimension_id)


def level_of(score: Fraction) -> int:
    """The level 0–4 of a score 0–4 (equal 20 % bands, lower edge inclusive)."""
    return min(MAX_LEVEL, int(score / BAND_WIDTH))


def score_dimension(
    spec: DimensionSpec, answers: Mapping[str, int | None], target: int
) -> DimensionScore:
    """Score one dimension; questions without an entry in ``answers`` are unanswered."""
    given = [answers[q] for q in spec.question_ids if q in answers]
    values = [value for value in given if value is not None]
    unknown = len(given) - len(values)
    score = Fraction(sum(values), len(values)) if len(values) >= MIN_ANSWERS else None
    level = None if score is None else level_of(score)
    return DimensionScore(spec.id, score, level, len(values), unknown, spec.fundament, target)


def score_check(
    specs: Sequence[DimensionSpec],
    answers: Mapping[str, int | None],
    targets: Mapping[str, int],
    default_target: int = 3,
) -> CheckScore:
    """Score a check: ``answers`` maps question id → 0–4 or ``None`` for "Weiß nicht"."""
    dimensions = tuple(
        score_dimension(spec, answers, targets.get(spec.id, default_target)) for spec in specs
    )
    overall = _weighted_mean(specs, dimensions)
    raw_level = None if overall is None else level_of(overall)
    level, capped = _apply_fundament_rule(raw_level, dimensions)
    return CheckScore(
        dimensions=dimensions,
        overall=overall,
        raw_level=raw_level,
        level=level,
        capped=capped,
        priorities=priorities(dimensions),
        strengths=strengths(dimensions),
    )


def _weighted_mean(
    specs: Sequence[DimensionSpec], dimensions: Sequence[DimensionScore]
) -> Fraction | None:
    weights = {spec.id: spec.weight for spec in specs}
    rated = [d for d in dimensions if d.score is not None]
    total_weight = sum((weights[d.id] for d in rated), Fraction(0))
    if not rated or total_weight == 0:
        return None
    return sum((weights[d.id] * d.score for d in rated if d.score is not None), Fraction(0)) / (
        total_weight
    )


def weak_fundament(dimensions: Sequence[DimensionScore]) -> tuple[DimensionScore, ...]:
    """Rated fundament dimensions below the threshold (level 0–1)."""
    return tuple(
        d
        for d in dimensions
        if d.fundament and d.score is not None and d.score < FUNDAMENT_THRESHOLD
    )


def _apply_fundament_rule(
    level: int | None, dimensions: Sequence[DimensionScore]
) -> tuple[int | None, bool]:
    weak = weak_fundament(dimensions)
    if level is None or not weak:
        return level, False
    cap = min(d.level for d in weak if d.level is not None) + FUNDAMENT_ALLOWANCE
    return min(level, cap), level > cap


def priorities(dimensions: Sequence[DimensionScore]) -> tuple[str, ...]:
    """The top fields of action: weak fundament first, then by gap, ties fundament first."""
    order = {d.id: index for index, d in enumerate(dimensions)}
    weak = {d.id for d in weak_fundament(dimensions)}
    candidates = [d for d in dimensions if d.gap > 0 or d.id in weak]
    candidates.sort(key=lambda d: (d.id not in weak, -d.gap, not d.fundament, order[d.id]))
    return tuple(d.id for d in candidates[:TOP_PRIORITIES])


def strengths(dimensions: Sequence[DimensionScore]) -> tuple[str, ...]:
    """The highest-scoring rated dimensions at level 2 or above (at most two)."""
    order = {d.id: index for index, d in enumerate(dimensions)}
    strong = [d for d in dimensions if d.score is not None and d.level is not None and d.level >= 2]
    strong.sort(key=lambda d: (-(d.score or 0), order[d.id]))
    return tuple(d.id for d in strong[:TOP_STRENGTHS])


def specs_from(questionnaire: Questionnaire) -> tuple[DimensionSpec, ...]:
    """Scoring specs for the dimensions of a questionnaire."""
    return tuple(
        DimensionSpec(
            id=dimension.id,
            question_ids=tuple(q.id for q in questionnaire.questions_of(dimension.id)),
            fundament=dimension.fundament,
            weight=Fraction(dimension.weight).limit_denominator(100),
        )
        for dimension in questionnaire.dimensions
    )
