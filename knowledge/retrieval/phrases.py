"""Find synonym phrases (sequences of stems) in a text's sequence of stem alternatives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Phrase = tuple[str, ...]
Match = tuple[int, int, str]  # start, end (exclusive), key


class PhraseMatcher:
    """All (phrase → key) pairs, indexed by first stem (one word) or first two stems."""

    def __init__(self, phrases: Iterable[tuple[Phrase, str]]) -> None:
        self._single: dict[str, list[str]] = {}
        self._multi: dict[tuple[str, str], list[tuple[Phrase, str]]] = {}
        for phrase, key in phrases:
            if len(phrase) == 1:
                self._single.setdefault(phrase[0], []).append(key)
            elif phrase:
                self._multi.setdefault((phrase[0], phrase[1]), []).append((phrase, key))
        self._starts = frozenset(self._single) | {first for first, _ in self._multi}

    def find(self, stems: Sequence[tuple[str, ...]]) -> list[Match]:
        """Every phrase occurrence; ``stems[i]`` holds the alternatives for word ``i``."""
        found: list[Match] = []
        starts, single = self._starts, self._single
        for start, alternatives in enumerate(stems):
            if starts.isdisjoint(alternatives):
                continue  # the common case: no phrase starts here
            for first in alternatives:
                found.extend((start, start + 1, key) for key in single.get(first, ()))
            if start + 1 < len(stems):
                found.extend(self._multi_at(stems, start))
        return found

    def _multi_at(self, stems: Sequence[tuple[str, ...]], start: int) -> list[Match]:
        found: list[Match] = []
        for first in stems[start]:
            for second in stems[start + 1]:
                for phrase, key in self._multi.get((first, second), ()):
                    end = start + len(phrase)
                    if end <= len(stems) and all(
                        phrase[k] in stems[start + k] for k in range(2, len(phrase))
                    ):
                        found.append((start, end, key))
        return found
