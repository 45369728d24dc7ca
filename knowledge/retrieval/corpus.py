"""Build the indexes of a knowledge base: word BM25, char n-gram BM25, answer-text BM25."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.retrieval.analyzer import Analyzer, Word, char_ngrams, doc_terms, surface_text
from knowledge.retrieval.commonness import common_stems, specificity_of
from knowledge.retrieval.hints import HintIndex
from knowledge.retrieval.index import TermIndex
from knowledge.retrieval.vocabulary import Vocabulary
from knowledge.schema import Entry


@dataclass(frozen=True)
class CorpusSettings:
    """Retrieval design choices, chosen on tests/data/kb_dev.yaml and held-out alternate questions.

    Tried and dropped: one document per alternate question (max per entry: dev top-1 -8 points),
    answer text as a third index (no gain), 4-grams (no gain over 3-grams alone).
    """

    k1: float = 1.2
    b: float = 0.5
    char_k1: float = 1.2
    char_b: float = 0.5
    word_weight: float = 1.0
    char_weight: float = 0.5
    question_weight: float = 0.5  # closeness to the nearest title/alternate question (reranking)
    candidates: int = 10

    @property
    def total_weight(self) -> float:
        """Sum of the fusion weights (fused scores are divided by it, so they lie in 0..1)."""
        return self.word_weight + self.char_weight + self.question_weight


@dataclass(frozen=True)
class Corpus:
    """Everything a query needs, built once per knowledge base."""

    entries: tuple[Entry, ...]
    analyzer: Analyzer
    vocab: Vocabulary
    word: TermIndex
    char: TermIndex
    terms: tuple[frozenset[str], ...]  # word-index terms of each entry
    known: tuple[frozenset[str], ...]  # ... plus the terms of its answer text
    key_strings: tuple[tuple[str, ...], ...]  # folded title and alternate questions
    hints: HintIndex
    settings: CorpusSettings
    specificity: dict[str, float]  # stems of everyday words → weight below 1 (see commonness)
    titles: tuple[tuple[tuple[frozenset[str], float], ...], ...]  # per title unit: terms, IDF


def key_texts(entry: Entry) -> list[str]:
    """The texts an entry is found by: title, alternate questions, tags (one text each)."""
    return [entry.title, *entry.questions, *entry.tags]


def answer_text(entry: Entry) -> str:
    """The answer an entry gives (short answer and detail)."""
    return f"{entry.answer}\n{entry.detail or ''}"


def build_corpus(entries: Sequence[Entry], analyzer: Analyzer, settings: CorpusSettings) -> Corpus:
    """Analyse and index ``entries`` (pure; about 100 entries take well under 300 ms).

    Each entry is one document: the terms of its title, alternate questions and tags for the
    word index, the character n-grams of its words for the char index. Answer texts are not
    indexed but add to the vocabulary (compound parts, typo targets) and to ``known``.
    """
    analyzer.next_build()
    texts = [key_texts(entry) for entry in entries]
    keys = [[analyzer.document_words(text) for text in group] for group in texts]
    answers = [analyzer.document_words(answer_text(entry)) for entry in entries]
    vocab = analyzer.vocabulary([*(w for group in keys for w in group), *answers])
    docs = [_doc_terms(analyzer, vocab, group) for group in texts]
    grams = [char_ngrams([w for words in group for w in words]) for group in keys]
    word = TermIndex(docs, settings.k1, settings.b)
    return Corpus(
        entries=tuple(entries),
        analyzer=analyzer,
        vocab=vocab,
        word=word,
        char=TermIndex(grams, settings.char_k1, settings.char_b),
        terms=tuple(frozenset(doc) for doc in docs),
        known=tuple(
            frozenset(doc).union(
                analyzer.term_set(words, vocab, analyzer.document_phrases(answer_text(entry)))
            )
            for doc, words, entry in zip(docs, answers, entries, strict=True)
        ),
        key_strings=tuple(
            tuple(surface_text(words) for words in group[: 1 + len(entry.questions)])
            for group, entry in zip(keys, entries, strict=True)
        ),
        hints=HintIndex(analyzer.lexicon, entries),
        settings=settings,
        specificity=specificity_of(vocab.stems, common_stems()),
        titles=tuple(_title_units(analyzer, vocab, word, group[0]) for group in keys),
    )


def _doc_terms(analyzer: Analyzer, vocab: Vocabulary, texts: Sequence[str]) -> list[str]:
    """The word-index terms of an entry's key texts, each text analysed as a document."""
    return [
        term
        for text in texts
        for term in doc_terms(
            analyzer.units(
                analyzer.document_words(text), vocab, phrases=analyzer.document_phrases(text)
            )
        )
    ]


def _title_units(
    analyzer: Analyzer, vocab: Vocabulary, word: TermIndex, title: Sequence[Word]
) -> tuple[tuple[frozenset[str], float], ...]:
    """The title's content units: the terms that stand for each, and its IDF."""
    units = analyzer.units(title, vocab)
    return tuple(
        (frozenset((u.term, *u.keys)), word.idf(u.term)) for u in units if not u.term.isdigit()
    )
