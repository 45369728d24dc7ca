"""Turn German text into weighted index terms: stems, compound parts, synonyms, numbered phrases."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import Stemmer

from knowledge.memo import VersionMemo
from knowledge.retrieval.commonness import everyday_words
from knowledge.retrieval.lexicon import Lexicon, parse_lexicon
from knowledge.retrieval.morphology import verb_bases
from knowledge.retrieval.phrases import Match, PhraseMatcher
from knowledge.retrieval.text import MAX_FOLDED_CHARS, ORDINAL_MARK
from knowledge.retrieval.vocabulary import Vocabulary

PART_SHARE = 0.5  # a split compound: half its weight on the whole word, half on the parts
TYPO_WEIGHT = 0.8  # a corrected word is a little less certain
MIN_DERIVED_STEM = 4  # an everyday word is corrected only to a word starting with its stem
SYNONYM_PREFIX = "="
NUMBER_JOIN = "#"
MAX_JOIN_NUMBER = 99  # "Baustein 3", "Runde 2", "OZG 2.0" — not years or amounts
NGRAM_SIZES = (3,)
_STEM_CACHE_LIMIT = 200_000


class Word(NamedTuple):
    """One token of a text: folded surface form, stem, and whether it is a stopword."""

    surface: str
    stem: str
    stop: bool
    ordinal: bool = False  # a number written as an ordinal ("3.", "dritte")


class Unit(NamedTuple):
    """One content word (or synonym phrase) of a text and the index terms that stand for it.

    ``weight`` < 1 marks a corrected typo; ``parts`` are compound parts; ``keys`` synonym keys
    (marked with SYNONYM_PREFIX) and the stem of a verb form's noun ("gefördert" → "forder").
    """

    term: str
    weight: float = 1.0
    parts: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    def terms(self) -> Iterable[tuple[str, float]]:
        """All index terms of this unit with their query weights."""
        share = PART_SHARE if self.parts else 0.0
        yield self.term, (1 - share) * self.weight
        for part in self.parts:
            yield part, share * self.weight / len(self.parts)
        for key in self.keys:
            yield key, 1.0

    @property
    def synonym(self) -> bool:
        """Whether a curated synonym group names this unit (a domain term: fully specific)."""
        return any(key.startswith(SYNONYM_PREFIX) for key in self.keys)


class Analyzer:
    """Lexicon plus stemmer: the vocabulary-independent half of the analysis.

    Memoised: the stem and the :class:`Word` of every token seen (one shared object per token),
    and the words and synonym phrases of the documents of the last index build
    (:meth:`document_words`, :meth:`document_phrases`).
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._stem_cache: dict[str, str] = {}
        self._recreate()
        self._phrases = _phrase_matcher(lexicon, self.stem)

    def _recreate(self) -> None:
        self._stemmer = Stemmer.Stemmer("german")
        self._words: dict[str, Word] = {}
        self._documents: VersionMemo[str, tuple[Word, ...]] = VersionMemo()
        self._document_phrases: VersionMemo[str, tuple[Match, ...]] = VersionMemo()

    def __getstate__(self) -> dict[str, object]:
        """Everything but the Snowball stemmer, which cannot be pickled, and the word memos
        (both are recreated; the memos fill again as words come)."""
        state = self.__dict__.copy()
        for name in ("_stemmer", "_words", "_documents", "_document_phrases"):
            del state[name]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore the pickled state with a new stemmer (so an index can cross processes)."""
        self.__dict__.update(state)
        self._recreate()

    def stem(self, surface: str) -> str:
        """German Snowball stem of a folded word (numbers stay as they are); memoised."""
        stem = self._stem_cache.get(surface)
        if stem is None:
            stem = surface if surface[0].isdigit() else str(self._stemmer.stemWord(surface))
            if len(self._stem_cache) < _STEM_CACHE_LIMIT:
                self._stem_cache[surface] = stem
        return stem

    def stem_once(self, surface: str) -> str:
        """Stem of a folded word without keeping it in the memo (for word lists, not texts)."""
        return str(self._stemmer.stemWord(surface))

    def words(self, text: str, limit: int | None = MAX_FOLDED_CHARS) -> list[Word]:
        """Fold, rewrite and split ``text`` into words (documents pass ``limit=None``)."""
        known = self._words
        return [known.get(t) or self._word(t) for t in self.lexicon.tokens(text, limit)]

    def _word(self, token: str) -> Word:
        if token.endswith(ORDINAL_MARK):
            word = Word(token[:-1], token[:-1], False, True)
        else:
            word = Word(token, self.stem(token), token in self.lexicon.stopwords)
        if len(self._words) < _STEM_CACHE_LIMIT:
            self._words[token] = word
        return word

    def document_words(self, text: str) -> list[Word]:
        """:meth:`words` of a whole document (no limit); reused if the last build had the text.

        The memo holds references to the shared words only: about 8 bytes a word.
        """
        return list(self._documents.get(text, lambda: tuple(self.words(text, None))))

    def document_phrases(self, text: str) -> tuple[Match, ...]:
        """The synonym phrases among the stems of a whole document (they need no vocabulary,
        so they are reused like :meth:`document_words`)."""
        return self._document_phrases.get(text, lambda: tuple(self._find(text)))

    def _find(self, text: str) -> list[Match]:
        return self._phrases.find([(w.stem,) for w in self.document_words(text)])

    def next_build(self) -> None:
        """An index build starts: documents the last build did not analyse are forgotten."""
        self._documents.next_run()
        self._document_phrases.next_run()

    def vocabulary(self, texts: Iterable[Sequence[Word]]) -> Vocabulary:
        """The vocabulary of analysed texts (content words only)."""
        surfaces = (w.surface for words in texts for w in words if not w.stop)
        return Vocabulary((s for s in surfaces if s.isalpha()), self.stem)

    def units(
        self,
        words: Sequence[Word],
        vocab: Vocabulary,
        query: bool = False,
        phrases: Sequence[Match] | None = None,
    ) -> list[Unit]:
        """Content units of ``words``; queries also get typo correction.

        ``phrases``: of a document, its :meth:`document_phrases` (else they are found here).
        """
        if query:
            units = {i: self._query_unit(w, vocab) for i, w in enumerate(words) if not w.stop}
            stems = [self._stems(w, units.get(i)) for i, w in enumerate(words)]
        else:
            split = vocab.split
            units = {
                i: Unit(w.stem, 1.0, split(w.surface)) for i, w in enumerate(words) if not w.stop
            }
            stems = [(w.stem,) for w in words]
        units = {i: _with_base(u, words[i].surface, vocab) for i, u in units.items()}
        found = self._phrases.find(stems) if query or phrases is None else phrases
        extra = self._synonyms(found, units) + _number_joins(words, units)
        return [*units.values(), *extra]

    def term_set(
        self, words: Sequence[Word], vocab: Vocabulary, phrases: Sequence[Match] | None = None
    ) -> set[str]:
        """The distinct index terms of a long text (stems, compound parts, synonym keys).

        Cheaper than :meth:`units` for texts that are not ranked, only looked up in;
        ``phrases`` as for :meth:`units`.
        """
        terms: set[str] = set()
        for surface, stem in {w.surface: w.stem for w in words if not w.stop}.items():
            terms.add(stem)
            terms.update(vocab.split(surface))
            terms.update(_with_base(Unit(stem), surface, vocab).keys)
        if phrases is None:
            phrases = self._phrases.find([(w.stem,) for w in words])
        terms.update(key for _, _, key in phrases)
        return terms

    def _query_unit(self, word: Word, vocab: Vocabulary) -> Unit:
        parts = vocab.split(word.surface)
        if parts or word.stem in vocab.stems or not word.surface.isalpha():
            return Unit(word.stem, parts=parts)
        corrected = vocab.correct(word.surface)
        if corrected is None or not _may_correct(word, corrected):
            return Unit(word.stem)
        return Unit(self.stem(corrected), TYPO_WEIGHT)

    @staticmethod
    def _stems(word: Word, unit: Unit | None) -> tuple[str, ...]:
        return (word.stem,) if unit is None or unit.term == word.stem else (word.stem, unit.term)

    @staticmethod
    def _synonyms(phrases: Sequence[Match], units: dict[int, Unit]) -> list[Unit]:
        """Add synonym keys to the units a phrase spans; a phrase of stopwords becomes a unit."""
        extra: list[Unit] = []
        for start, end, key in phrases:
            spanned = [i for i in range(start, end) if i in units]
            for i in spanned:
                if key not in units[i].keys:
                    unit = units[i]
                    units[i] = Unit(unit.term, unit.weight, unit.parts, (*unit.keys, key))
            if not spanned:
                extra.append(Unit(key))
        return extra


def shared_analyzer(path: Path) -> Analyzer:
    """The analyzer of the lexicon file at ``path``: the same object while the file's text is
    unchanged, so the next index build reuses its memos (raises ``LexiconError``)."""
    return _analyzer_of(path.read_text(encoding="utf-8"), path)


@lru_cache(maxsize=1)
def _analyzer_of(text: str, path: Path) -> Analyzer:
    return Analyzer(parse_lexicon(text, path))


def _with_base(unit: Unit, surface: str, vocab: Vocabulary) -> Unit:
    """``unit`` plus the stem its verb form shares with the noun, when the base knows that stem
    ("gefördert", "fördern" also stand for "forder" as in "Förderung"; see morphology)."""
    base = next((b for b in _verb_bases(surface) if b != unit.term and b in vocab.stems), None)
    if base is None or base in unit.keys:
        return unit
    return unit._replace(keys=(*unit.keys, base))


@lru_cache(maxsize=50_000)
def _verb_bases(surface: str) -> tuple[str, ...]:
    """:func:`verb_bases`, kept: every content word of every document asks (the index build
    spent half its time there), and the answer depends on the word alone."""
    return tuple(verb_bases(surface))


def _may_correct(word: Word, corrected: str) -> bool:
    """Whether ``corrected`` may stand for the unknown ``word``: an everyday German word is no
    typo ("Bodensee" is not "Badesee", "anrufen" not "abrufen"), unless the correction only
    derives from its stem ("erinnern" → "Erinnerung")."""
    if word.surface not in everyday_words():
        return True
    return len(word.stem) >= MIN_DERIVED_STEM and corrected.startswith(word.stem)


def surface_text(words: Iterable[Word]) -> str:
    """The folded words joined by spaces ("Was ist das OZG 2.0?" → "was ist das ozg 2")."""
    return " ".join(word.surface for word in words)


def doc_terms(units: Iterable[Unit]) -> list[str]:
    """Index terms of a document (every term once per occurrence)."""
    terms: list[str] = []
    for unit in units:
        terms.append(unit.term)
        terms.extend(unit.parts)
        terms.extend(unit.keys)
    return terms


def query_terms(units: Iterable[Unit]) -> dict[str, float]:
    """Weighted query terms: weights of repeated words add up, a synonym key counts once."""
    weights: dict[str, float] = {}
    for unit in units:
        for term, weight in unit.terms():
            if term.startswith(SYNONYM_PREFIX):
                weights[term] = max(weights.get(term, 0.0), weight)
            else:
                weights[term] = weights.get(term, 0.0) + weight
    return weights


def char_ngrams(words: Iterable[Word]) -> list[str]:
    """Character n-grams of the content words, with word boundaries ("#for", "ung#")."""
    grams: list[str] = []
    for word in words:
        if not word.stop:
            grams.extend(_word_ngrams(word.surface))
    return grams


@lru_cache(maxsize=50_000)
def _word_ngrams(surface: str) -> tuple[str, ...]:
    padded = f"#{surface}#"
    return tuple(
        padded[i : i + size] for size in NGRAM_SIZES for i in range(len(padded) - size + 1)
    )


def _phrase_matcher(lexicon: Lexicon, stem_word: Callable[[str], str]) -> PhraseMatcher:
    return PhraseMatcher(
        (tuple(stem_word(token) for token in member), SYNONYM_PREFIX + key)
        for key, members in lexicon.synonyms.items()
        for member in members
    )


def _number_joins(words: Sequence[Word], units: dict[int, Unit]) -> list[Unit]:
    """One term for a named item: "Baustein 3", "dritter Baustein", "3. Baustein" → "baustein#3".

    A plain number before a noun counts ("5 Bausteine") and is not joined.
    """
    joins: list[Unit] = []
    if not any(words[i].surface[0].isdigit() for i in units):
        return joins
    for left, right in zip(range(len(words) - 1), range(1, len(words)), strict=True):
        if left not in units or right not in units:
            continue
        if _is_number(words[right]) and not _is_number(words[left]):
            number, name = words[right], units[left]
        elif words[left].ordinal and not _is_number(words[right]):
            number, name = words[left], units[right]
        else:
            continue
        if int(number.surface) <= MAX_JOIN_NUMBER:
            value = int(number.surface)
            joins.extend(Unit(f"{term}{NUMBER_JOIN}{value}") for term in (name.term, *name.keys))
    return joins


def _is_number(word: Word) -> bool:
    return word.surface.isdigit()
