"""How specific a word is: everyday German words ("alt", "spät") are weak evidence for an entry.

``common_words.tsv`` lists folded German words with their frequency on the Zipf scale (from
wordfreq, see ``scripts/common-words``); words not listed are rare, so fully specific.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

COMMON_WORDS_PATH = Path(__file__).resolve().parent / "common_words.tsv"
SPECIFIC_BELOW = 3.5  # Zipf: rarer than this, a word is fully specific (weight 1)
COMMON_FROM = 6.0  # Zipf: from here ("und", "wer"), a word carries no specific weight


def load_zipf(path: Path = COMMON_WORDS_PATH) -> dict[str, float]:
    """Folded word → Zipf frequency (only words at least SPECIFIC_BELOW).

    Not cached: the index keeps only the specificity of its own stems, so the table is freed.
    """
    table: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, zipf = line.partition("\t")
            table[word] = float(zipf)
    return table


def specificity(zipf: float) -> float:
    """Weight 0..1 of a word of this frequency as evidence (1 for rare, 0 for the commonest)."""
    share = (COMMON_FROM - zipf) / (COMMON_FROM - SPECIFIC_BELOW)
    return min(1.0, max(0.0, share))


def stem_specificity(
    stems: Collection[str],
    stem_many: Callable[[list[str]], list[str]],
    zipf: dict[str, float],
) -> dict[str, float]:
    """Specificity below 1 of each of ``stems``, from its commonest form in everyday German."""
    commonest: dict[str, float] = {}
    for key, value in zip(stem_many(list(zipf)), zipf.values(), strict=True):
        if key in stems and value > commonest.get(key, 0.0):
            commonest[key] = value
    return {key: specificity(value) for key, value in commonest.items() if specificity(value) < 1}
