"""Checks of the questionnaire for ``digilotse kb check``: schema, counts and references."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.check.model import (
    LEVELS,
    OPTION_COUNT,
    QUESTIONNAIRE_FILE,
    Questionnaire,
    parse_questionnaire,
)
from knowledge.loader import Location, Problem

MIN_QUESTIONS_PER_DIMENSION = 2


def check_questionnaire(path: Path = QUESTIONNAIRE_FILE) -> list[Problem]:
    """Every problem of the questionnaire file (an empty list when it is fine)."""
    try:
        questionnaire = parse_questionnaire(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [Problem(Location(path, 1), f"cannot read questionnaire: {exc}")]
    except ValidationError as exc:
        return [
            Problem(Location(path, 1), f"schema: {error['loc']}: {error['msg']}")
            for error in exc.errors()
        ]
    return [
        Problem(Location(path, 1), message) for message in questionnaire_problems(questionnaire)
    ]


def questionnaire_problems(q: Questionnaire) -> list[str]:
    """Content rules beyond the schema, as messages."""
    return (
        _level_problems(q)
        + _duplicate_problems(q)
        + _question_problems(q)
        + _dimension_problems(q)
        + _markup_problems(q)
    )


def _level_problems(q: Questionnaire) -> list[str]:
    problems = []
    if sorted(level.level for level in q.levels) != list(LEVELS):
        problems.append("levels must name each of 0–4 exactly once")
    covered = sorted(level for band in q.bands for level in band.levels)
    if covered != list(LEVELS):
        problems.append(f"bands must cover each level 0–4 exactly once, got {covered}")
    return problems


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    return [f"duplicate {kind} id {i!r}" for i, n in Counter(ids).items() if n > 1]


def _duplicate_problems(q: Questionnaire) -> list[str]:
    step_ids = [c.id for c in q.context] + [x.id for x in q.questions]
    return (
        _duplicates("question", step_ids)
        + _duplicates("dimension", [d.id for d in q.dimensions])
        + _duplicates("band", [b.id for b in q.bands])
        + _duplicates("Lebensbereich", [x.id for x in q.lebensbereiche])
    )


def _question_problems(q: Questionnaire) -> list[str]:
    dimension_ids = {d.id for d in q.dimensions}
    problems = []
    for question in q.questions:
        if len(question.options) != OPTION_COUNT:
            problems.append(f"question {question.id}: needs {OPTION_COUNT} scored options")
        if question.dimension not in dimension_ids:
            problems.append(f"question {question.id}: unknown dimension {question.dimension!r}")
    if q.max_lebensbereiche > len(q.lebensbereiche):
        problems.append("max_lebensbereiche exceeds the number of Lebensbereiche")
    return problems


def _dimension_problems(q: Questionnaire) -> list[str]:
    band_ids = {band.id for band in q.bands}
    problems = []
    for dimension in q.dimensions:
        missing = band_ids - dimension.recommendations.keys()
        unknown = dimension.recommendations.keys() - band_ids
        if missing:
            problems.append(f"dimension {dimension.id}: no texts for bands {sorted(missing)}")
        if unknown:
            problems.append(f"dimension {dimension.id}: unknown bands {sorted(unknown)}")
        if dimension.baustein not in q.bausteine:
            problems.append(f"dimension {dimension.id}: unknown Baustein {dimension.baustein}")
        if len(q.questions_of(dimension.id)) < MIN_QUESTIONS_PER_DIMENSION:
            problems.append(f"dimension {dimension.id}: fewer than two questions")
    return problems


def _markup_problems(q: Questionnaire) -> list[str]:
    texts = [x.text for x in q.questions] + [o for x in q.questions for o in x.options]
    texts += [x.help for x in q.questions] + [d.name for d in q.dimensions]
    for dimension in q.dimensions:
        for rec in dimension.recommendations.values():
            texts += [rec.text, *rec.steps]
    return [f"text must be plain (no markup): {t[:40]!r}" for t in texts if _has_markup(t)]


def _has_markup(text: str) -> bool:
    return "<" in text or ">" in text
