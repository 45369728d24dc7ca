"""NLU entities as retrieval hints: (name, value) → the entries they point at."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fnmatch import translate
from typing import TYPE_CHECKING

from knowledge.retrieval.lexicon import Lexicon
from knowledge.retrieval.text import fold

if TYPE_CHECKING:
    from knowledge.schema import Entry


class HintIndex:
    """Which entries each hint points at; built once per knowledge base.

    Listed hints (``hints`` in ``synonyms.yaml``) name entry ids, id globs ("dzk-*") or
    "tag:<tag>" (a tag or category). A value not listed matches entries with that tag or id
    ("_" standing for "-" or a space).
    """

    def __init__(self, lexicon: Lexicon, entries: Sequence[Entry]) -> None:
        self._ids = {entry.id: i for i, entry in enumerate(entries)}
        self._tags: dict[str, set[int]] = {}
        for i, entry in enumerate(entries):
            for label in (*entry.tags, entry.category, entry.id):
                self._tags.setdefault(fold(label), set()).add(i)
        self._listed = {
            (name, value): frozenset(i for pattern in patterns for i in self._resolve(pattern))
            for name, values in lexicon.hints.items()
            for value, patterns in values.items()
        }

    def entries(self, hints: Mapping[str, str]) -> set[int]:
        """Indexes of the entries any of ``hints`` points at."""
        found: set[int] = set()
        for name, value in hints.items():
            key = (fold(str(name)), fold(str(value)))
            listed = self._listed.get(key)
            if listed is not None:
                found |= listed
            elif key[1]:
                for variant in {key[1], key[1].replace("_", "-"), key[1].replace("_", " ")}:
                    found |= self._tags.get(variant, set())
        return found

    def _resolve(self, pattern: str) -> set[int]:
        if pattern.startswith("tag:"):
            return self._tags.get(fold(pattern[4:]), set())
        if not any(char in pattern for char in "*?["):
            return {self._ids[pattern]} if pattern in self._ids else set()
        compiled = re.compile(translate(pattern))
        return {i for entry_id, i in self._ids.items() if compiled.match(entry_id)}
