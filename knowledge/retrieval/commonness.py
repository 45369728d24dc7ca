"""How specific a word is: everyday German words ("alt", "spät") are weak evidence for an entry.

``common_words.tsv`` lists folded German words with their frequency on the Zipf scale (from
wordfreq, see ``scripts/common-words``); words not listed are rare, so fully specific.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path

import Stemmer

COMMON_WORDS_PATH = Path(__file__).resolve().parent / "common_words.tsv"
SPECIFIC_BELOW = 3.5  # Zipf: rarer than this, a word is fully specific (weight 1)
COMMON_FROM = 6.0  # Zipf: from here ("und", "wer"), a word carries no specific weight
BARE_NUMBER = 0.5  # "17", "23": short numbers stand in many entries (counts, dates, sections)


def iter_zipf(path: Path = COMMON_WORDS_PATH) -> Iterator[tuple[str, float]]:
    """(folded word, Zipf frequency) for words at least SPECIFIC_BELOW, read line by line.

    Streamed: the index keeps only the specificity of its own stems, never the whole table.
    """
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip() and not line.startswith("#"):
                word, _, zipf = line.rstrip("\n").partition("\t")
                yield word, float(zipf)


@cache
def everyday_words(path: Path = COMMON_WORDS_PATH) -> frozenset[str]:
    """The folded words of the table: real German words, so never a typo to correct.

    Loaded once per process, on the first query word the knowledge base does not know."""
    return frozenset(word for word, _ in iter_zipf(path))


def load_zipf(path: Path = COMMON_WORDS_PATH) -> dict[str, float]:
    """The whole table as a dict (for inspection and tests; the index streams it)."""
    return dict(iter_zipf(path))


def specificity(zipf: float) -> float:
    """Weight 0..1 of a word of this frequency as evidence (1 for rare, 0 for the commonest)."""
    share = (COMMON_FROM - zipf) / (COMMON_FROM - SPECIFIC_BELOW)
    return min(1.0, max(0.0, share))


def term_specificity(table: dict[str, float], term: str) -> float:
    """The weight of an index term: from ``table`` (see :func:`stem_specificity`), a short bare
    number counting like a mid-frequency word, any other term fully specific."""
    default = BARE_NUMBER if term.isdigit() and len(term) <= 2 else 1.0
    return table.get(term, default)


def stem_specificity(
    stems: Collection[str],
    stem: Callable[[str], str],
    zipf: Iterable[tuple[str, float]],
) -> dict[str, float]:
    """Specificity below 1 of each of ``stems``, from its commonest form in everyday German."""
    return specificity_of(stems, commonest_by_stem(stem, zipf))


def commonest_by_stem(
    stem: Callable[[str], str], zipf: Iterable[tuple[str, float]]
) -> dict[str, float]:
    """Stem → the Zipf frequency of its commonest form."""
    commonest: dict[str, float] = {}
    for surface, value in zipf:
        key = stem(surface)
        if value > commonest.get(key, 0.0):
            commonest[key] = value
    return commonest


@cache
def common_stems(path: Path = COMMON_WORDS_PATH) -> Mapping[str, float]:
    """:func:`commonest_by_stem` of the table with the German Snowball stemmer (the analyzer's).

    Kept per process (about 15 000 stems): stemming the whole table took a third of a
    reload's index build, and it is the same for every content version.
    """
    return commonest_by_stem(Stemmer.Stemmer("german").stemWord, iter_zipf(path))


def specificity_of(stems: Collection[str], commonest: Mapping[str, float]) -> dict[str, float]:
    """Specificity below 1 of each of ``stems`` that ``commonest`` lists."""
    found = ((key, specificity(commonest[key])) for key in stems if key in commonest)
    return {key: weight for key, weight in found if weight < 1}
