"""From stored answers to a result: scoring, comparisons and the record to store (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.features.check.ports import StoredResult
from bot.features.check.steps import DIMENSION_TARGET_CHOICES, EACH, TARGET_MODE, TARGETS
from knowledge.check.model import Questionnaire
from knowledge.check.scoring import CheckScore, score_check, specs_from, weak_fundament

MIN_PEERS = 10


@dataclass(frozen=True)
class Peers:
    """The anonymous comparison with the size class: number of municipalities and median."""

    count: int
    median: float
    dimensions: Mapping[str, float] = field(default_factory=dict)  # median per dimension


@dataclass(frozen=True)
class CheckOutcome:
    """Everything the result message, chart and report show."""

    questionnaire: Questionnaire
    score: CheckScore
    municipality: str
    context: Mapping[str, Any]
    answers: Mapping[str, int | None]
    target: int  # the overall target; ``score`` holds each dimension's own
    finished_at: datetime
    previous: StoredResult | None = None
    peers: Peers | None = None


def municipality_key(name: str) -> str:
    """The comparison key of a municipality name: case-folded, single spaces."""
    return " ".join(name.casefold().split())


def target_of(questionnaire: Questionnaire, context: Mapping[str, Any]) -> int:
    """The chosen target level, or the questionnaire's default."""
    target = context.get("target")
    return target if isinstance(target, int) else questionnaire.default_target


def targets_of(questionnaire: Questionnaire, context: Mapping[str, Any]) -> dict[str, int]:
    """Each dimension's target: its own when "Ja, einzeln" was chosen, else the overall one."""
    overall = target_of(questionnaire, context)
    own = context.get(TARGETS) if context.get(TARGET_MODE) == EACH else None
    chosen = own if isinstance(own, Mapping) else {}
    return {
        d.id: chosen[d.id] if chosen.get(d.id) in DIMENSION_TARGET_CHOICES else overall
        for d in questionnaire.dimensions
    }


def score_answers(
    questionnaire: Questionnaire, answers: Mapping[str, int | None], targets: Mapping[str, int]
) -> CheckScore:
    """Score the answers against each dimension's target."""
    return score_check(specs_from(questionnaire), answers, targets, questionnaire.default_target)


def previous_result(results: Sequence[StoredResult], session_id: int) -> StoredResult | None:
    """The latest earlier result of the same municipality (``results`` oldest first)."""
    earlier = [r for r in results if r.session_id != session_id]
    return earlier[-1] if earlier else None


def peers(results: Sequence[StoredResult], own_key: str) -> Peers | None:
    """Median of the latest result per other municipality, only with ≥ 10 of them."""
    latest: dict[str, StoredResult] = {}
    for result in results:
        if result.municipality_key != own_key and result.overall is not None:
            latest[result.municipality_key] = result
    if len(latest) < MIN_PEERS:
        return None
    scores = [r.overall for r in latest.values() if r.overall is not None]
    return Peers(len(scores), statistics.median(scores), _dimension_medians(latest.values()))


def _dimension_medians(results: Iterable[StoredResult]) -> dict[str, float]:
    """Per dimension the median of the peers that rated it (only with ≥ 10 of them)."""
    rated: dict[str, list[float]] = {}
    for result in results:
        for dimension_id, value in result.dimensions.items():
            if value is not None:
                rated.setdefault(dimension_id, []).append(value)
    return {d: statistics.median(v) for d, v in rated.items() if len(v) >= MIN_PEERS}


def capping_dimensions(score: CheckScore) -> tuple[str, ...]:
    """Ids of the weak foundation dimensions that set the cap (empty when not capped)."""
    if not score.capped:
        return ()
    weak = [d for d in weak_fundament(score.dimensions) if d.level is not None]
    lowest = min(d.level for d in weak if d.level is not None)
    return tuple(d.id for d in weak if d.level == lowest)
