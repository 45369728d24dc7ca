"""NLU entities as retrieval hints: (name, value) → the entries they point at."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase

from knowledge.retrieval.lexicon import Lexicon
from knowledge.retrieval.text import fold
from knowledge.schema import Entry

HintTable = Mapping[tuple[str, str], frozenset[int]]


def hint_table(lexicon: Lexicon, entries: Sequence[Entry]) -> dict[tuple[str, str], frozenset[int]]:
    """Resolve the ``hints`` section of the lexicon against the entries (ids, globs, tags)."""
    return {
        (name, value): frozenset(i for i, entry in enumerate(entries)
                                 if any(_matches(entry, pattern) for pattern in patterns))
        for name, values in lexicon.hints.items()
        for value, patterns in values.items()
    }


def hinted_entries(
    table: HintTable, entries: Sequence[Entry], hints: Mapping[str, str]
) -> set[int]:
    """Indexes of the entries any hint points at; unlisted values match entry tags or ids."""
    found: set[int] = set()
    for name, value in hints.items():
        key = (fold(str(name)), fold(str(value)))
        listed = table.get(key)
        if listed is not None:
            found |= listed
        elif key[1]:
            found |= {i for i, entry in enumerate(entries) if _matches_value(entry, key[1])}
    return found


def _matches(entry: Entry, pattern: str) -> bool:
    if pattern.startswith("tag:"):
        wanted = fold(pattern[4:])
        return any(fold(tag) == wanted for tag in entry.tags) or entry.category == wanted
    return fnmatchcase(entry.id, pattern)


def _matches_value(entry: Entry, value: str) -> bool:
    variants = {value, value.replace("_", "-"), value.replace("_", " ")}
    return entry.id in variants or any(fold(tag) in variants for tag in entry.tags)
