"""Scale-free evidence about one candidate entry, the input of the calibrated confidence model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.retrieval.analyzer import PART_SHARE, Unit
from knowledge.retrieval.index import FloatArray

FEATURES = ("coverage", "word", "char", "question", "margin", "length")
MAX_LENGTH_UNITS = 6


@dataclass(frozen=True)
class QueryEvidence:
    """What the query brings: its units with IDF weights and the normalisers of the raw scores."""

    units: Sequence[Unit]
    unit_idf: Sequence[float]
    word_norm: float
    char_norm: float


def evidence(
    units: Sequence[Unit], grams: Sequence[str], word_idf: Callable[[str], float],
    char_idf: Callable[[str], float],
) -> QueryEvidence:
    """IDF weights of the query units and the largest plausible word and char scores."""
    unit_idf = [word_idf(unit.term) for unit in units]
    return QueryEvidence(units, unit_idf, sum(unit_idf), sum(char_idf(g) for g in grams))


def coverage(query: QueryEvidence, terms: frozenset[str]) -> float:
    """IDF-weighted share of the query's units found among an entry's terms (0..1).

    A unit counts fully if its word or a synonym key occurs, by its weight if it is a corrected
    typo, and by the share of its compound parts found (all parts: 0.9).
    """
    total = sum(query.unit_idf)
    if total <= 0:
        return 0.0
    found = sum(idf * _unit_share(unit, terms) for unit, idf in zip(query.units, query.unit_idf,
                                                                     strict=True))
    return found / total


def _unit_share(unit: Unit, terms: frozenset[str]) -> float:
    if unit.term in terms or any(key in terms for key in unit.keys):
        return unit.weight if unit.term in terms else 1.0
    if unit.parts:
        hits = sum(part in terms for part in unit.parts)
        return 0.9 * unit.weight * hits / len(unit.parts)
    return 0.0


def question_similarity(text: str, questions: Sequence[str]) -> float:
    """How close the question is to the entry's closest title or alternate question (0..1)."""
    match = process.extractOne(text, questions, scorer=fuzz.ratio) if text and questions else None
    return 0.0 if match is None else float(match[1]) / 100.0


def candidate_features(
    query: QueryEvidence, cover: float, word: float, char: float, question: float, margin: float
) -> FloatArray:
    """The feature vector of one candidate, in the order of FEATURES."""
    return np.array(
        [
            cover,
            min(2.0, word / query.word_norm) if query.word_norm > 0 else 0.0,
            min(2.0, char / query.char_norm) if query.char_norm > 0 else 0.0,
            question,
            margin,
            min(len(query.units), MAX_LENGTH_UNITS) / MAX_LENGTH_UNITS,
        ],
        dtype=np.float32,
    )
