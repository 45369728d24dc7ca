"""What the knowledge base knows: word stems, surface forms, compound splits and typo correction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_PART = 3  # shortest compound part ("rat" in "Gemeinderat")
MIN_COMPOUND = 7  # shortest word worth splitting
MIN_TYPO = 4  # shortest word worth correcting
LINKS = ("", "s", "es", "n", "en")  # German linking elements between compound parts
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
            cached = self._split(surface) if len(surface) >= MIN_COMPOUND else ()
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

    def _term(self, part: str) -> str | None:
        """The index term for a compound part, or None if the part is unknown."""
        if len(part) < MIN_PART:
            return None
        if part in self.stems:
            return part
        stemmed = self._stem(part)
        if stemmed in self.stems or part in self.surfaces:
            return stemmed
        return None

    def _split(self, word: str) -> tuple[str, ...]:
        # best[i]: (parts, -shortest part, terms) of the best split of word[:i]
        best: dict[int, tuple[int, int, tuple[str, ...]]] = {0: (0, -len(word), ())}
        for end in range(MIN_PART, len(word) + 1):
            options = [self._extend(best, word, start, end) for start in range(end - MIN_PART + 1)]
            found = [option for option in options if option is not None]
            if found:
                best[end] = min(found)
        whole = best.get(len(word))
        return whole[2] if whole is not None and whole[0] >= 2 else ()

    def _extend(
        self, best: dict[int, tuple[int, int, tuple[str, ...]]], word: str, start: int, end: int
    ) -> tuple[int, int, tuple[str, ...]] | None:
        term = self._term(word[start:end])
        if term is None:
            return None
        for link in LINKS:
            prefix_end = start - len(link)
            previous = best.get(prefix_end)
            if previous is not None and word[prefix_end:start] == link:
                if previous[0] > 0 or link == "":
                    shortest = min(-previous[1], end - start)
                    return previous[0] + 1, -shortest, (*previous[2], term)
        return None
