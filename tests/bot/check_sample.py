"""A realistic, uneven check result for report tests and the bench: strong online services,
weak IT security (so the fundament rule caps the level), one dimension unrated, "Weiß nicht"
answers, an earlier check and peers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.features.check.result import CheckOutcome, Peers, score_answers
from knowledge.check.model import load_questionnaire
from storage.check.records import CheckResultRecord

PATTERN: dict[str, list[int | None]] = {
    "strategie": [2, 2, 1, 2],
    "online": [3, 4, 3, 3],
    "prozesse": [1, 2, None, 1],
    "it": [1, 0, 1, 1],
    "personal": [2, 3, 2, 2],
    "kommunikation": [3, 2, 3, 3],
    "daten": [None, None, None, 0],  # three "Weiß nicht": unrated
    "lebensbereiche": [1, 2, 1, 2],
}
FINISHED = datetime(2026, 12, 2, 23, 40, tzinfo=UTC)  # 00:40 on 03.12. in Berlin


def uneven_outcome(*, previous: bool = True, peers: bool = True) -> CheckOutcome:
    """The sample result for Bad Beispielheim (Größenklasse 3.000 – 9.999)."""
    q = load_questionnaire()
    answers: dict[str, int | None] = {}
    for dimension in q.dimensions:
        values = PATTERN[dimension.id]
        for index, question in enumerate(q.questions_of(dimension.id)):
            answers[question.id] = values[index % len(values)]
    context = {
        "size": 1,
        "gvv": 0,
        "role": 2,
        "staff": 1,
        "lebensbereiche": ["mobilitaet", "bildung"],
    }
    earlier_scores: dict[str, float | None] = {d.id: 1.0 for d in q.dimensions}
    earlier = CheckResultRecord(
        session_id=1,
        municipality="Bad Beispielheim",
        municipality_key="bad beispielheim",
        size_class=1,
        version=q.version,
        overall=1.4,
        level=1,
        dimensions=earlier_scores | {"online": 2.0, "daten": None},
        finished_at=datetime(2025, 11, 20, 10, 0, tzinfo=UTC),
    )
    return CheckOutcome(
        questionnaire=q,
        score=score_answers(q, answers, {d.id: 3 for d in q.dimensions}),
        municipality="Bad Beispielheim",
        context=context,
        answers=answers,
        target=3,
        finished_at=FINISHED,
        previous=earlier if previous else None,
        peers=Peers(14, 1.8, {d.id: 1.5 for d in q.dimensions}) if peers else None,
    )
