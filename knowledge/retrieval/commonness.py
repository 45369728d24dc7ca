"""How specific a word is: everyday German words ("alt", "spät") are weak evidence for an entry.

``common_words.tsv`` lists folded German words with their frequency on the Zipf scale (from
wordfreq, see ``scripts/common-words``); words not listed are rare, so fully specific.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

COMMON_WORDS_PATH = Path(__file__).resolve().parent / "common_words.tsv"
SPECIFIC_BELOW = 3.5  # Zipf: rarer than this, a word is fully specific (weight 1)
COMMON_FROM = 6.0  # Zipf: from here ("und", "wer"), a word carries no specific weight


def iter_zipf(path: Path = COMMON_WORDS_PATH) -> Iterator[tuple[str, float]]:
    """(folded word, Zipf frequency) for words at least SPECIFIC_BELOW, read line by line.

    Streamed: the index keeps only the specificity of its own stems, never the whole table.
    """
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip() and not line.startswith("#"):
                word, _, zipf = line.rstrip("\n").partition("\t")
                yield word, float(zipf)


def load_zipf(path: Path = COMMON_WORDS_PATH) -> dict[str, float]:
    """The whole table as a dict (for inspection and tests; the index streams it)."""
    return dict(iter_zipf(path))


def specificity(zipf: float) -> float:
    """Weight 0..1 of a word of this frequency as evidence (1 for rare, 0 for the commonest)."""
    share = (COMMON_FROM - zipf) / (COMMON_FROM - SPECIFIC_BELOW)
    return min(1.0, max(0.0, share))


def stem_specificity(
    stems: Collection[str],
    stem: Callable[[str], str],
    zipf: Iterable[tuple[str, float]],
) -> dict[str, float]:
    """Specificity below 1 of each of ``stems``, from its commonest form in everyday German."""
    commonest: dict[str, float] = {}
    for surface, value in zipf:
        key = stem(surface)
        if key in stems and value > commonest.get(key, 0.0):
            commonest[key] = value
    return {key: specificity(value) for key, value in commonest.items() if specificity(value) < 1}
