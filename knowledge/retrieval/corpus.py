"""Build the indexes of a knowledge base: word BM25, char n-gram BM25, answer-text BM25."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.retrieval.analyzer import Analyzer, Word, char_ngrams, doc_terms, surface_text
from knowledge.retrieval.hints import HintIndex
from knowledge.retrieval.index import TermIndex
from knowledge.retrieval.vocabulary import Vocabulary
from knowledge.schema import Entry


@dataclass(frozen=True)
class Settings:
    """Retrieval design choices (tuned on the development questions, see bench/ and README)."""

    k1: float = 1.2
    b: float = 0.5
    char_k1: float = 1.2
    char_b: float = 0.5
    per_question: bool = False  # index each alternate question separately, entry = best one
    word_weight: float = 1.0
    char_weight: float = 0.5
    question_weight: float = 0.5  # closeness to the nearest title/alternate question (reranking)
    answer_vocabulary: bool = True  # answer words help split compounds and correct typos
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
    terms: tuple[frozenset[str], ...]
    key_strings: tuple[tuple[str, ...], ...]  # folded title and alternate questions
    hints: HintIndex
    settings: Settings


def key_texts(entry: Entry) -> list[str]:
    """The texts an entry is found by: title, alternate questions, tags (one text each)."""
    return [entry.title, *entry.questions, *entry.tags]


def answer_text(entry: Entry) -> str:
    """The answer an entry gives (short answer and detail)."""
    return f"{entry.answer}\n{entry.detail or ''}"


def build_corpus(entries: Sequence[Entry], analyzer: Analyzer, settings: Settings) -> Corpus:
    """Analyse and index ``entries`` (pure; about 100 entries take well under 300 ms)."""
    keys = [[analyzer.words(text, None) for text in key_texts(entry)] for entry in entries]
    with_answers = settings.answer_vocabulary
    answers = [analyzer.words(answer_text(e), None) for e in entries] if with_answers else []
    vocab = analyzer.vocabulary([*(w for group in keys for w in group), *answers])
    analysed = [[_analyse(analyzer, vocab, words) for words in group] for group in keys]
    docs, grams, owners = _documents(analysed, settings.per_question)
    return Corpus(
        entries=tuple(entries),
        analyzer=analyzer,
        vocab=vocab,
        word=TermIndex(docs, owners, settings.k1, settings.b),
        char=TermIndex(grams, owners, settings.char_k1, settings.char_b),
        terms=tuple(frozenset(t for terms, _ in group for t in terms) for group in analysed),
        key_strings=tuple(
            tuple(surface_text(words) for words in group[: 1 + len(entry.questions)])
            for group, entry in zip(keys, entries, strict=True)
        ),
        hints=HintIndex(analyzer.lexicon, entries),
        settings=settings,
    )


def _analyse(
    analyzer: Analyzer, vocab: Vocabulary, words: list[Word]
) -> tuple[list[str], list[str]]:
    return doc_terms(analyzer.units(words, vocab)), char_ngrams(words)


def _documents(
    analysed: list[list[tuple[list[str], list[str]]]], per_question: bool
) -> tuple[list[list[str]], list[list[str]], list[int]]:
    """Word docs, char docs and their owning entry: one doc per entry, or per key text."""
    docs: list[list[str]] = []
    grams: list[list[str]] = []
    owners: list[int] = []
    for owner, group in enumerate(analysed):
        parts = group if per_question else [_concat(group)]
        for terms, ngrams in parts:
            docs.append(terms)
            grams.append(ngrams)
            owners.append(owner)
    return docs, grams, owners


def _concat(group: list[tuple[list[str], list[str]]]) -> tuple[list[str], list[str]]:
    return [t for terms, _ in group for t in terms], [g for _, ngrams in group for g in ngrams]
