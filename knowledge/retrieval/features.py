"""Scale-free evidence about candidate entries, the input of the calibrated confidence model.

Features per candidate (columns, in the order of FEATURES):
  coverage  IDF-weighted share of the question's words found in the entry (strong out-of-scope
            signal: unknown words have the highest IDF),
  answer    the same, counting the words of the entry's answer text too,
  specific  the answer coverage with each word also weighted by how specific it is (everyday
            words like "alt" or "spät" count little; see commonness), still divided by the
            question's total IDF: a question matched only through everyday words scores low,
  focus     1 minus the weight (IDF times specificity) of the heaviest question word the entry
            does not know, relative to the heaviest word: "Wasserrohrbruch im Rathaus" finds
            "Rathaus" in an entry, but its key word is missing (out-of-scope signal),
  title     IDF-weighted share of the entry's title the question covers: "Was ist das OZG?"
            covers all of "Onlinezugangsgesetz (OZG): Grundlagen" but little of "OZG 2.0
            (OZG-Änderungsgesetz) im Überblick", so the overview wins over the specific entry,
  word      word-level BM25 score relative to the question's total IDF,
  char      char n-gram BM25 score relative to the question's total n-gram IDF,
  question  string similarity to the entry's closest title or alternate question,
  margin    lead of the absolute fused score over the best other candidate (negative when
            behind), times the specificity of the question words the candidate matches: a
            lead won on everyday words ("Wie spät ist es?" finding the one entry that says
            "später", "Wie programmiere ich eine App?" finding the one with an app) is worth
            little, even when the question has a rare word that no entry knows,
  length    number of distinct content words (capped), short questions being more ambiguous,
  answer_lead    lead of the answer coverage over the best other candidate (negative when
            behind), times the matched words' specificity like the margin: the confidence sees
            whether a rival covers the question as well,
  question_lead  the lead of the string similarity to the closest title/alternate question,
            times the question's specificity (the share of its IDF on rare words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.retrieval.analyzer import Unit
from knowledge.retrieval.index import FloatArray

FEATURES = (
    "coverage",
    "answer",
    "specific",
    "focus",
    "title",
    "word",
    "char",
    "question",
    "margin",
    "length",
    "answer_lead",
    "question_lead",
)
MAX_LENGTH_UNITS = 6
TITLE_WEIGHT = 1.0  # title coverage in the absolute score of the margin (dev: +1 point answered)
PARTS_FOUND = 0.9  # a compound matched only through its parts counts a little less


@dataclass(frozen=True)
class QueryEvidence:
    """What the question brings: its units with IDF weights and the normalisers of raw scores."""

    units: Sequence[Unit]
    unit_idf: Sequence[float]
    word_norm: float
    char_norm: float
    specific_idf: Sequence[float] = ()  # per unit: IDF times specificity; empty: the plain IDF

    @property
    def weights(self) -> Sequence[float]:
        """Per unit: IDF times how specific the word is (see commonness)."""
        return self.specific_idf or self.unit_idf


def coverages(
    query: QueryEvidence, term_sets: Sequence[frozenset[str]], specific: bool = False
) -> list[float]:
    """IDF-weighted share of the question's units found among each entry's terms (0..1).

    A unit counts fully if its word or a synonym key occurs, by its weight if it is a corrected
    typo, and by the share of its compound parts found (times PARTS_FOUND). With ``specific``,
    each unit's IDF is also multiplied by its specificity (the total stays the plain IDF sum).
    """
    total = sum(query.unit_idf)
    if total <= 0:
        return [0.0] * len(term_sets)
    weights = query.weights if specific else query.unit_idf
    pairs = list(zip(query.units, weights, strict=True))
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


def focus(query: QueryEvidence, term_sets: Sequence[frozenset[str]]) -> list[float]:
    """Per entry: 1 - (heaviest unit it lacks) / (heaviest unit); 1 when it lacks none."""
    heaviest = max(query.weights, default=0.0)
    if heaviest <= 0:
        return [0.0] * len(term_sets)
    pairs = list(zip(query.units, query.weights, strict=True))
    result = []
    for terms in term_sets:
        missing = 0.0
        for unit, weight in pairs:
            if weight > missing and not _knows(unit, terms):
                missing = weight
        result.append(1.0 - missing / heaviest)
    return result


def title_covers(
    units: Sequence[Unit], titles: Sequence[tuple[tuple[frozenset[str], float], ...]]
) -> list[float]:
    """Per entry: IDF-weighted share of its title units that the question's units name."""
    asked = {term for unit in units for term in (unit.term, *unit.keys, *unit.parts)}
    result = []
    for title in titles:
        total = sum(idf for _, idf in title)
        found = sum(idf for terms, idf in title if not asked.isdisjoint(terms))
        result.append(found / total if total > 0 else 0.0)
    return result


def _knows(unit: Unit, terms: frozenset[str]) -> bool:
    if unit.term in terms or (unit.keys and not terms.isdisjoint(unit.keys)):
        return True
    return bool(unit.parts) and sum(part in terms for part in unit.parts) * 2 >= len(unit.parts)


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
    specific_covers: Sequence[float],
    focused: Sequence[float],
    titled: Sequence[float],
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
    absolute = (
        weights[0] * word_rel
        + weights[1] * char_rel
        + weights[2] * similar
        + TITLE_WEIGHT * np.asarray(titled)
    ) / (sum(weights) + TITLE_WEIGHT)
    distinct = len({unit.term for unit in query.units})  # "test test test" is one word
    length = min(distinct, MAX_LENGTH_UNITS) / MAX_LENGTH_UNITS
    columns = (
        np.asarray(covers),
        np.asarray(answer_covers),
        np.asarray(specific_covers),
        np.asarray(focused),
        np.asarray(titled),
        word_rel,
        char_rel,
        similar,
        margins(absolute) * _matched_specificity(answer_covers, specific_covers),
        np.full(n, length),
        margins(np.asarray(answer_covers, dtype=np.float32))
        * _matched_specificity(answer_covers, specific_covers),
        margins(similar) * _specific_share(query),
    )
    result: FloatArray = np.column_stack(columns).astype(np.float32)
    return result


def _matched_specificity(
    answer_covers: Sequence[float], specific_covers: Sequence[float]
) -> FloatArray:
    """Per candidate: how specific the question words it matches are (1: all rare words)."""
    answer = np.asarray(answer_covers, dtype=np.float32)
    specific = np.asarray(specific_covers, dtype=np.float32)
    result: FloatArray = np.where(answer > 0, specific / np.maximum(answer, 1e-9), 0.0).astype(
        np.float32
    )
    return result


def _specific_share(query: QueryEvidence) -> float:
    """IDF-weighted mean specificity of the question's units (1 when none is an everyday word)."""
    total = sum(query.unit_idf)
    return sum(query.weights) / total if total > 0 else 1.0
