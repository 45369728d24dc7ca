"""Scale-free evidence about candidate entries, the input of the calibrated confidence model.

Features per candidate (columns, in the order of FEATURES):
  coverage  IDF-weighted share of the question's words found in the entry (strong out-of-scope
            signal: unknown words have the highest IDF),
  answer    the same, counting the words of the entry's answer text too,
  word      word-level BM25 score relative to the question's total IDF,
  char      char n-gram BM25 score relative to the question's total n-gram IDF,
  question  string similarity to the entry's closest title or alternate question,
  margin    lead of the absolute fused score over the best other candidate (negative when
            behind),
  length    number of content words (capped), short questions being more ambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.retrieval.analyzer import Unit
from knowledge.retrieval.index import FloatArray

FEATURES = ("coverage", "answer", "word", "char", "question", "margin", "length")
MAX_LENGTH_UNITS = 6
PARTS_FOUND = 0.9  # a compound matched only through its parts counts a little less


@dataclass(frozen=True)
class QueryEvidence:
    """What the question brings: its units with IDF weights and the normalisers of raw scores."""

    units: Sequence[Unit]
    unit_idf: Sequence[float]
    word_norm: float
    char_norm: float


def coverages(query: QueryEvidence, term_sets: Sequence[frozenset[str]]) -> list[float]:
    """IDF-weighted share of the question's units found among each entry's terms (0..1).

    A unit counts fully if its word or a synonym key occurs, by its weight if it is a corrected
    typo, and by the share of its compound parts found (times PARTS_FOUND).
    """
    total = sum(query.unit_idf)
    if total <= 0:
        return [0.0] * len(term_sets)
    pairs = list(zip(query.units, query.unit_idf, strict=True))
    shares = []
    for terms in term_sets:  # the hot loop of ranking: kept flat on purpose
        found = 0.0
        for unit, idf in pairs:
            if unit.term in terms:
                found += idf * unit.weight
            elif unit.keys and not terms.isdisjoint(unit.keys):
                found += idf
            elif unit.parts:
                hits = sum(part in terms for part in unit.parts)
                found += idf * (PARTS_FOUND * unit.weight * hits / len(unit.parts))
        shares.append(found / total)
    return shares


def question_similarity(
    text: str, strings: Sequence[str], owners: Sequence[int], n: int
) -> FloatArray:
    """Best fuzz.ratio (0..1) of ``text`` against the strings of each of ``n`` candidates.

    ``strings[j]`` belongs to candidate ``owners[j]`` (owners sorted ascending, each present).
    """
    if not text or not strings:
        return np.zeros(n, dtype=np.float32)
    ratios = process.cdist([text], strings, scorer=fuzz.ratio, dtype=np.float32)[0] / 100.0
    starts = np.flatnonzero(np.r_[True, np.diff(np.asarray(owners)) != 0])
    result: FloatArray = np.maximum.reduceat(ratios, starts).astype(np.float32)
    return result


def margins(fused: FloatArray) -> FloatArray:
    """Each candidate's lead over the best other candidate (negative when behind)."""
    if fused.size < 2:
        return fused.astype(np.float32)
    order = np.argsort(-fused, kind="stable")
    best_other = np.full(fused.shape, fused[order[0]], dtype=np.float32)
    best_other[order[0]] = fused[order[1]]
    result: FloatArray = (fused - best_other).astype(np.float32)
    return result


def feature_matrix(
    query: QueryEvidence,
    covers: Sequence[float],
    answer_covers: Sequence[float],
    word: FloatArray,
    char: FloatArray,
    similar: FloatArray,
    weights: tuple[float, float, float],
) -> FloatArray:
    """Rows of features (columns as in FEATURES) for candidates with the given raw scores.

    The margin is taken on an absolute scale (scores relative to what the question could reach,
    not to the best candidate), so a weak best match among weaker ones has no large lead.
    """
    n = len(covers)
    word_rel = np.minimum(2.0, word / query.word_norm) if query.word_norm > 0 else np.zeros(n)
    char_rel = np.minimum(2.0, char / query.char_norm) if query.char_norm > 0 else np.zeros(n)
    absolute = (weights[0] * word_rel + weights[1] * char_rel + weights[2] * similar) / sum(weights)
    length = min(len(query.units), MAX_LENGTH_UNITS) / MAX_LENGTH_UNITS
    columns = (
        np.asarray(covers),
        np.asarray(answer_covers),
        word_rel,
        char_rel,
        similar,
        margins(absolute),
        np.full(n, length),
    )
    result: FloatArray = np.column_stack(columns).astype(np.float32)
    return result
