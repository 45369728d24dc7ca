"""What the knowledge base knows: word stems, surface forms, compound splits and typo correction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_PART = 3  # shortest compound part ("rat" in "Gemeinderat")
MIN_COMPOUND = 7  # shortest word worth splitting
MIN_TYPO = 4  # shortest word worth correcting
LINKS = ("", "s", "es", "n", "en", "e")  # German linking elements between compound parts
NOT_LAST = frozenset({"end"})  # "laufend", "weitgehend": a participle ending, not a word
_CACHE_LIMIT = 20_000


class Vocabulary:
    """Stems and folded surface forms of the indexed texts, used to split and correct words."""

    def __init__(self, surfaces: Iterable[str], stem: Callable[[str], str]) -> None:
        counts = Counter(surfaces)
        self._stem = stem
        self.surfaces = frozenset(counts)
        self.stems = frozenset(stem(word) for word in counts)
        ordered = sorted((w for w in counts if len(w) >= MIN_TYPO), key=lambda w: (-counts[w], w))
        self._by_initial: dict[str, list[str]] = {}
        for word in ordered:
            self._by_initial.setdefault(word[0], []).append(word)
        self._splits: dict[str, tuple[str, ...]] = {}

    def knows(self, surface: str) -> bool:
        """Whether the word (or its stem) occurs in the indexed texts."""
        return surface in self.surfaces or self._stem(surface) in self.stems

    def split(self, surface: str) -> tuple[str, ...]:
        """Split a compound into known parts, returned as index terms; () if it does not split.

        "forderprogramme" → ("forder", "programm"); the fewest parts win, then the longest
        shortest part. Parts may be joined by a linking element (s, es, n, en).
        """
        cached = self._splits.get(surface)
        if cached is None:
            long_word = len(surface) >= MIN_COMPOUND and surface.isalpha()
            cached = self._split(surface) if long_word else ()
            if len(self._splits) < _CACHE_LIMIT:
                self._splits[surface] = cached
        return cached

    def correct(self, surface: str) -> str | None:
        """The closest known word within 1 edit (2 from 8 letters), same first letter, or None."""
        if len(surface) < MIN_TYPO or not surface.isalpha():
            return None
        limit = 1 if len(surface) < 8 else 2
        candidates = self._by_initial.get(surface[0], [])
        match = process.extractOne(surface, candidates, scorer=OSA.distance, score_cutoff=limit)
        return None if match is None else str(match[0])

    def _term(self, part: str, last: bool) -> str | None:
        """The index term for a compound part, or None if the part is unknown.

        Inner parts must be known as they stand; the last part may be inflected
        ("programmen" → "programm"), which costs a stemmer call.
        """
        if part in self.stems:
            return part
        if part in self.surfaces or (last and self._stem(part) in self.stems):
            return self._stem(part)
        return None

    def _split(self, word: str, depth: int = 0) -> tuple[str, ...]:
        """Fewest known parts covering ``word`` (at least two), () if none; at most 4 parts."""
        best: tuple[str, ...] = ()
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = self._term(word[:cut], last=False)
            if head is None:
                continue
            for link in LINKS:
                if not word.startswith(link, cut) or len(word) - cut - len(link) < MIN_PART:
                    continue
                rest = word[cut + len(link) :]
                tail = None if rest in NOT_LAST else self._term(rest, last=True)
                if tail is not None:
                    return (head, tail)
                if depth < 2 and not best:
                    deeper = self._split(rest, depth + 1)
                    best = (head, *deeper) if deeper else best
        return best
