"""Dictionary entity extraction from lookup tables, synonyms, annotations and regexes.

Phrases are matched on folded, space-free token n-grams ("IST-Analyse" = "Ist Analyse" =
"istanalyse"), longest first, tolerating one typo in longer phrases and matching the head of a
German compound ("Breitbandförderung" → breitband). Values are normalised through the synonyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nlu.rasa_data import NluData
from nlu.text import Token, fold, fold_phrase, tokenize
from nlu.types import Entity

MAX_NGRAM = 4
FUZZY_MIN_LEN = 7
FUZZY_MAX_TOKENS = 2
FUZZY_MEMO_SIZE = 20_000
COMPOUND_MIN_LEN = 5
MAX_KEY = 40
"""Longer token runs are never a phrase, a typo of one or a compound (bounds the work)."""


@dataclass(frozen=True)
class _Target:
    entity: str
    value: str


class EntityMatcher:
    """Finds entities of known types in folded text."""

    def __init__(
        self,
        phrases: dict[str, _Target],
        regexes: dict[str, list[re.Pattern[str]]],
        known_words: frozenset[str] = frozenset(),
    ):
        self._phrases = phrases
        self._regexes = regexes
        self._known = known_words
        self._deletions = _deletion_index(phrases)
        self._heads = {k for k in phrases if len(k) >= COMPOUND_MIN_LEN}
        self._prefixes = {k[:size] for k in phrases for size in range(1, len(k) + 1)}
        self._fuzzy_memo: dict[str, _Target | None] = {}

    @classmethod
    def from_data(cls, data: NluData) -> EntityMatcher:
        """Build the matcher from lookups, synonyms, annotated examples and regexes."""
        types = _entity_types(data)
        phrases: dict[str, _Target] = {}
        for text, entity, value in _surface_forms(data, types):
            key = fold_phrase(text).replace(" ", "")
            if key:
                phrases.setdefault(key, _Target(entity, data.synonyms.get(value.lower(), value)))
        regexes = {
            name: [re.compile(p, re.IGNORECASE) for p in patterns]
            for name, patterns in data.regexes.items()
            if name in types
        }
        # Words of the generated examples don't count: they are the knowledge base's questions,
        # typed as people type ("future comunities"), and a typo seen there is still a typo.
        written = (e for e in data.examples if e.text not in data.generated)
        known = frozenset(t.text for e in written for t in tokenize(fold(e.text)))
        return cls(phrases, regexes, known)

    def find(self, original: str, tokens: list[Token]) -> list[Entity]:
        """Return the entities in ``original``, given the tokens of its folded form."""
        found = list(self._phrase_entities(tokens))
        found.extend(self._regex_entities(original, found))
        return sorted(found, key=lambda e: (e.start, e.end))

    def _phrase_entities(self, tokens: list[Token]) -> Iterator[Entity]:
        words = [t.text for t in tokens]
        unknown = [w not in self._known for w in words]
        i = 0
        while i < len(words):
            hit = self._match_at(words, unknown, i)
            if hit is None:
                i += 1
                continue
            target, n = hit
            yield Entity(target.entity, target.value, tokens[i].start, tokens[i + n - 1].end)
            i += n

    def _match_at(
        self, words: list[str], unknown: list[bool], i: int
    ) -> tuple[_Target, int] | None:
        exact = self._exact(words, i)
        if exact is not None:
            return exact
        key = ""
        for n in range(1, min(FUZZY_MAX_TOKENS, len(words) - i) + 1):
            key += words[i + n - 1]
            # Only a run with a word never seen in training can be a typo of a phrase.
            if any(unknown[i : i + n]):
                fuzzy = self._fuzzy(key)
                if fuzzy is not None:
                    return fuzzy, n
        head = self._compound_head(words[i])
        return (head, 1) if head is not None else None

    def _exact(self, words: list[str], i: int) -> tuple[_Target, int] | None:
        """The longest phrase starting at word ``i``, growing the key while it can still match."""
        key, best = "", None
        for n in range(1, min(MAX_NGRAM, len(words) - i) + 1):
            key += words[i + n - 1]
            if key not in self._prefixes:
                break
            if key in self._phrases:
                best = self._phrases[key], n
        return best

    def _fuzzy(self, key: str) -> _Target | None:
        if not FUZZY_MIN_LEN <= len(key) <= MAX_KEY or key.isdigit():
            return None
        if key not in self._fuzzy_memo:
            if len(self._fuzzy_memo) >= FUZZY_MEMO_SIZE:
                self._fuzzy_memo.clear()
            self._fuzzy_memo[key] = self._fuzzy_lookup(key)
        return self._fuzzy_memo[key]

    def _fuzzy_lookup(self, key: str) -> _Target | None:
        """Phrases within one deletion, insertion, substitution or transposition of ``key``."""
        candidates = set(self._deletions.get(key, ()))
        for variant in _deletions(key):
            if variant in self._phrases:
                candidates.add(variant)
            candidates.update(self._deletions.get(variant, ()))
        targets = {self._phrases[c] for c in candidates}
        return targets.pop() if len(targets) == 1 else None

    def _compound_head(self, word: str) -> _Target | None:
        if len(word) > MAX_KEY:
            return None
        for size in range(len(word) - 3, COMPOUND_MIN_LEN - 1, -1):
            if word[:size] in self._heads:
                return self._phrases[word[:size]]
        return None

    def _regex_entities(self, original: str, taken: list[Entity]) -> Iterator[Entity]:
        spans = [(e.start, e.end) for e in taken]
        for entity, patterns in self._regexes.items():
            for pattern in patterns:
                for match in pattern.finditer(original):
                    start, end = match.span()
                    if start == end or any(s < end and start < e for s, e in spans):
                        continue
                    spans.append((start, end))
                    yield Entity(entity, self._normalise(entity, match.group()), start, end)

    def _normalise(self, entity: str, text: str) -> str:
        target = self._phrases.get(fold_phrase(text).replace(" ", ""))
        if target is not None and target.entity == entity:
            return target.value
        digits = re.findall(r"\d+", text)
        return digits[0] if len(digits) == 1 else text


def _entity_types(data: NluData) -> set[str]:
    types = set(data.lookups)
    types.update(a.entity for example in data.examples for a in example.entities)
    return types


def _surface_forms(data: NluData, types: set[str]) -> Iterator[tuple[str, str, str]]:
    """Yield (surface text, entity type, raw value) for every phrase that names an entity."""
    value_types: dict[str, str] = {}
    for entity, elements in data.lookups.items():
        for element in elements:
            value = data.synonyms.get(element.lower(), element)
            value_types.setdefault(value, entity)
            yield element, entity, value
    for example in data.examples:
        for ann in example.entities:
            value_types.setdefault(ann.value, ann.entity)
            yield ann.text, ann.entity, ann.value
    for variant, value in data.synonyms.items():
        if value in value_types:
            yield variant, value_types[value], value


def _deletions(key: str) -> Iterator[str]:
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


def _deletion_index(phrases: dict[str, _Target]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for key in phrases:
        if len(key) >= FUZZY_MIN_LEN and not key.isdigit():
            for variant in _deletions(key):
                index.setdefault(variant, []).append(key)
    return index
