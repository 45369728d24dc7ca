"""The retriever: fused word/char BM25 ranking, calibrated confidence, answer/suggest/abstain."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from knowledge.retrieval.analyzer import (
    Unit,
    char_ngrams,
    query_terms,
    shared_analyzer,
    surface_text,
)
from knowledge.retrieval.calibration import Calibration, load_calibration
from knowledge.retrieval.commonness import term_specificity
from knowledge.retrieval.corpus import Corpus, CorpusSettings, build_corpus
from knowledge.retrieval.features import (
    QueryEvidence,
    coverages,
    feature_matrix,
    focus,
    question_similarity,
    title_covers,
)
from knowledge.retrieval.index import FloatArray, IntArray
from knowledge.retrieval.lexicon import SYNONYMS_PATH
from knowledge.schema import Entry

Outcome = Literal["answer", "suggest", "abstain"]
MAX_SUGGESTIONS = 3
# An abstention still names the closest entries above this confidence as "close matches": they
# are offered as topics to look at, never as an answer, so the bar is deliberately low.
CLOSE_MATCH_FLOOR = 0.05


@dataclass(frozen=True)
class Scored:
    """An entry with the calibrated confidence (0..1) that it answers the question."""

    entry: Entry
    confidence: float


@dataclass(frozen=True)
class Decision:
    """What to do with a question.

    ``best`` is set only for "answer", with ``alternatives``: the next close candidates, offered
    under the answer ("Oder meinten Sie …"), and ``hedged`` when the confidence is middling (the
    answer then says so in one line). ``suggestions`` holds up to three entries for "suggest"
    ("Meinten Sie …?", a genuine tie) and, for "abstain", the closest entries worth offering.
    """

    outcome: Outcome
    confidence: float
    best: Entry | None
    suggestions: tuple[Entry, ...]
    alternatives: tuple[Entry, ...] = ()
    hedged: bool = False

    @property
    def offered(self) -> tuple[Entry, ...]:
        """Every entry the reply shows: the answer and its alternatives, or the suggestions."""
        return (self.best, *self.alternatives) if self.best is not None else self.suggestions


@dataclass(frozen=True)
class Candidate:
    """One ranked entry with its raw evidence (used by search, decide and calibration)."""

    index: int
    fused: float
    features: FloatArray
    confidence: float
    unhinted: float | None = None  # the confidence before an NLU hint raised it (None: no hint)

    @property
    def plain(self) -> float:
        """The confidence without hints."""
        return self.confidence if self.unhinted is None else self.unhinted


class Retriever:
    """Answers questions from knowledge-base entries; pure and in-memory after :meth:`build`."""

    def __init__(self, corpus: Corpus, calibration: Calibration) -> None:
        self._corpus = corpus
        self.calibration = calibration
        self._index = {entry.id: i for i, entry in enumerate(corpus.entries)}
        self.by_id: Mapping[str, Entry] = {entry.id: entry for entry in corpus.entries}

    @classmethod
    def build(
        cls,
        entries: Sequence[Entry],
        synonyms_path: Path = SYNONYMS_PATH,
        calibration: Calibration | None = None,
        settings: CorpusSettings | None = None,
    ) -> Retriever:
        """Index ``entries``; the calibration defaults to the stored ``calibration.json``."""
        analyzer = shared_analyzer(synonyms_path)
        corpus = build_corpus(entries, analyzer, settings or CorpusSettings())
        return cls(corpus, calibration or load_calibration())

    @property
    def corpus(self) -> Corpus:
        """The built indexes (to send them to another process in parts)."""
        return self._corpus

    @property
    def entries(self) -> Sequence[Entry]:
        """The indexed entries, in index order."""
        return self._corpus.entries

    def new_topic(self, query: str, near: Sequence[Entry]) -> bool:
        """Whether ``query`` names a rare word (fully specific, e.g. "Onlinezugangsgesetz")
        that none of the ``near`` entries knows: the question brings a topic of its own."""
        corpus = self._corpus
        units = corpus.analyzer.units(corpus.analyzer.words(query), corpus.vocab, query=True)
        rare = {u.term for u in units if corpus.specificity.get(u.term, 1.0) >= 1.0}
        for entry in near:
            rare -= corpus.known[self._index[entry.id]]
        return any(not term.isdigit() for term in rare)

    def names_topic(self, query: str) -> bool:
        """Whether ``query`` names a topic: a rare word or a term of a synonym group."""
        corpus = self._corpus
        units = corpus.analyzer.units(corpus.analyzer.words(query), corpus.vocab, query=True)
        return any(
            u.synonym or (not u.term.isdigit() and corpus.specificity.get(u.term, 1.0) >= 1.0)
            for u in units
        )

    def search(
        self, query: str, k: int = 5, hints: Mapping[str, str] | None = None
    ) -> list[Scored]:
        """The ``k`` most likely entries, most confident first (empty for an empty question)."""
        ranked = self.candidates(query, hints)[: max(k, 0)]
        return [Scored(self._corpus.entries[c.index], c.confidence) for c in ranked]

    def decide(self, query: str, hints: Mapping[str, str] | None = None) -> Decision:
        """Answer, suggest up to three entries, or abstain, from calibrated confidences."""
        return decide(self.candidates(query, hints), self.calibration, self._corpus.entries)

    def candidates(self, query: str, hints: Mapping[str, str] | None = None) -> list[Candidate]:
        """Ranked candidates with features and confidence, most confident first."""
        corpus, settings = self._corpus, self._corpus.settings
        words = corpus.analyzer.words(query)
        units = corpus.analyzer.units(words, corpus.vocab, query=True)
        if not units:
            return []
        grams = Counter(char_ngrams(words))
        word, char = corpus.word.scores(query_terms(units)), corpus.char.scores(grams)
        lexical = settings.word_weight * _unit_max(word) + settings.char_weight * _unit_max(char)
        hinted = corpus.hints.entries(hints) if hints else set()
        top = _top(lexical, settings.candidates, hinted)
        if top.size == 0:
            return []
        similar = self._similarity(surface_text(words), top)
        fused = (lexical[top] + settings.question_weight * similar) / settings.total_weight
        rows = self._features(units, grams, top, word[top], char[top], similar)
        plain = self.calibration.confidence(rows)
        confidences = self._hinted(plain, top, hinted)
        ranked = [
            Candidate(int(i), float(f), row, float(p), float(u) if hinted else None)
            for i, f, row, p, u in zip(top, fused, rows, confidences, plain, strict=True)
        ]
        return sorted(ranked, key=lambda c: (-c.confidence, -c.fused, c.index))

    def _features(
        self,
        units: Sequence[Unit],
        grams: Mapping[str, float],
        top: IntArray,
        word: FloatArray,
        char: FloatArray,
        similar: FloatArray,
    ) -> FloatArray:
        corpus, settings = self._corpus, self._corpus.settings
        idf = [corpus.word.idf(u.term) for u in units]
        specific = corpus.specificity  # synonym keys are curated domain terms: fully specific
        specific_idf = [
            w if u.synonym else w * term_specificity(specific, u.term)
            for u, w in zip(units, idf, strict=True)
        ]
        evidence = QueryEvidence(
            units,
            idf,
            corpus.word.idf_total({u.term: 1.0 for u in units}),
            corpus.char.idf_total(grams),
            specific_idf,
        )
        covers = coverages(evidence, [corpus.terms[i] for i in top])
        known = [corpus.known[i] for i in top]
        answer_covers = coverages(evidence, known)
        specific_covers = coverages(evidence, known, specific=True)
        focused = focus(evidence, known)
        titled = title_covers(units, [corpus.titles[i] for i in top])
        weights = (settings.word_weight, settings.char_weight, settings.question_weight)
        return feature_matrix(
            evidence,
            covers,
            answer_covers,
            specific_covers,
            focused,
            titled,
            word,
            char,
            similar,
            weights,
        )

    def _hinted(self, confidences: FloatArray, top: IntArray, hinted: set[int]) -> FloatArray:
        """The calibrated confidences with a hint multiplying the odds of the entries it points
        at."""
        if not hinted:
            return confidences
        odds = np.where(np.isin(top, list(hinted)), self._corpus.analyzer.lexicon.hint_odds, 1.0)
        result: FloatArray = (odds * confidences / (odds * confidences + 1.0 - confidences)).astype(
            np.float32
        )
        return result

    def _similarity(self, text: str, top: IntArray) -> FloatArray:
        key_strings = self._corpus.key_strings
        strings = [s for i in top for s in key_strings[i]]
        owners = [k for k, i in enumerate(top) for _ in key_strings[i]]
        return question_similarity(text, strings, owners, len(top))


def decide(
    candidates: Sequence[Candidate], calibration: Calibration, entries: Sequence[Entry]
) -> Decision:
    """Apply the thresholds of ``calibration`` to ranked candidates (most confident first)."""
    if not candidates:
        return Decision("abstain", 0.0, None, ())
    best = candidates[0]
    offered = tuple(
        entries[c.index]
        for c in candidates[1:MAX_SUGGESTIONS]
        if c.confidence >= calibration.offer_threshold
    )
    if best.confidence < calibration.suggest_threshold:
        close = tuple(
            entries[c.index]
            for c in candidates[:MAX_SUGGESTIONS]
            if c.confidence >= CLOSE_MATCH_FLOOR
        )
        return Decision("abstain", best.confidence, None, close)
    if best.confidence >= calibration.answer_threshold and _lead(candidates) >= (
        calibration.answer_margin
    ):
        hedged = best.confidence < calibration.sure_threshold
        return Decision("answer", best.confidence, entries[best.index], (), offered, hedged)
    return Decision("suggest", best.confidence, None, (entries[best.index], *offered))


def _lead(candidates: Sequence[Candidate]) -> float:
    """The best candidate's lead over the runner-up, with or without the NLU's hints, whichever
    is larger: a hint naming a programme raises all of its entries alike ("erste Runde von
    Future Communities" lifts every round), which must not turn a clear lead into a tie."""
    if len(candidates) < 2:
        return candidates[0].confidence
    best, runner_up = candidates[0], candidates[1]
    return max(best.confidence - runner_up.confidence, best.plain - runner_up.plain)


def _unit_max(scores: FloatArray) -> FloatArray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _top(fused: FloatArray, n: int, include: set[int]) -> IntArray:
    """The ``n`` best entries with a positive score, plus any of ``include`` that have one."""
    positive = np.flatnonzero(fused > 0)
    best = positive
    if positive.size > n:
        best = positive[np.argpartition(-fused[positive], n - 1)[:n]]
    if include:
        extra = [i for i in include if fused[i] > 0 and i not in set(best.tolist())]
        best = np.concatenate([best, np.asarray(extra, dtype=best.dtype)])
    result: IntArray = best[np.argsort(-fused[best], kind="stable")]
    return result
