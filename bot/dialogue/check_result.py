"""From stored answers to a result: scoring, comparisons and the record to store (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from knowledge.check.model import Questionnaire
from knowledge.check.scoring import CheckScore, score_check, specs_from
from storage.check_records import CheckResultRecord

MIN_PEERS = 10


@dataclass(frozen=True)
class Peers:
    """The anonymous comparison with the size class: number of municipalities and median."""

    count: int
    median: float


@dataclass(frozen=True)
class Outcome:
    """Everything the result message, chart and report show."""

    questionnaire: Questionnaire
    score: CheckScore
    municipality: str
    context: Mapping[str, Any]
    answers: Mapping[str, int | None]
    target: int
    finished_at: datetime
    previous: CheckResultRecord | None = None
    peers: Peers | None = None


def municipality_key(name: str) -> str:
    """The comparison key of a municipality name: case-folded, single spaces."""
    return " ".join(name.casefold().split())


def target_of(questionnaire: Questionnaire, context: Mapping[str, Any]) -> int:
    """The chosen target level, or the questionnaire's default."""
    target = context.get("target")
    return target if isinstance(target, int) else questionnaire.default_target


def score_answers(
    questionnaire: Questionnaire, answers: Mapping[str, int | None], target: int
) -> CheckScore:
    """Score the answers with the same target for every dimension."""
    targets = {d.id: target for d in questionnaire.dimensions}
    return score_check(specs_from(questionnaire), answers, targets, questionnaire.default_target)


def to_record(session_id: int, outcome: Outcome) -> CheckResultRecord:
    """The row to store for a finished check."""
    score = outcome.score
    size = outcome.context.get("size")
    return CheckResultRecord(
        session_id=session_id,
        municipality=outcome.municipality,
        municipality_key=municipality_key(outcome.municipality),
        size_class=size if isinstance(size, int) else None,
        version=outcome.questionnaire.version,
        overall=None if score.overall is None else float(score.overall),
        level=score.level,
        dimensions={d.id: None if d.score is None else float(d.score) for d in score.dimensions},
        finished_at=outcome.finished_at,
    )


def previous_result(
    results: Sequence[CheckResultRecord], session_id: int
) -> CheckResultRecord | None:
    """The latest earlier result of the same municipality (``results`` oldest first)."""
    earlier = [r for r in results if r.session_id != session_id]
    return earlier[-1] if earlier else None


def peers(results: Sequence[CheckResultRecord], own_key: str) -> Peers | None:
    """Median of the latest result per other municipality, only with ≥ 10 of them."""
    latest: dict[str, CheckResultRecord] = {}
    for result in results:
        if result.municipality_key != own_key and result.overall is not None:
            latest[result.municipality_key] = result
    if len(latest) < MIN_PEERS:
        return None
    scores = [r.overall for r in latest.values() if r.overall is not None]
    return Peers(count=len(scores), median=statistics.median(scores))
