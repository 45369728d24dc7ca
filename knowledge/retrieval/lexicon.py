"""Retrieval vocabulary from ``knowledge/synonyms.yaml``: rewrites, numbers, stopwords, synonyms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from bm25s.stopwords import STOPWORDS_GERMAN

from knowledge.retrieval.text import MAX_FOLDED_CHARS, ORDINAL_MARK, fold, raw_tokens

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "synonyms.yaml"
POSITION_REACH = 3  # "die letzte Runde", "der letzte der Bausteine": the noun follows closely


class LexiconError(ValueError):
    """``synonyms.yaml`` is malformed."""


@dataclass(frozen=True)
class Lexicon:
    """Folded, ready-to-use contents of ``synonyms.yaml``.

    ``synonyms`` maps a group key to its members, each member as a tuple of raw tokens
    (rewritten and folded like user input; the analyzer stems them).
    """

    phrases: Mapping[str, str]
    numbers: Mapping[str, str]
    stopwords: frozenset[str]
    synonyms: Mapping[str, tuple[tuple[str, ...], ...]]
    hints: Mapping[str, Mapping[str, tuple[str, ...]]]
    hint_odds: float
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    positions: Mapping[str, int] = field(default_factory=dict)  # "letzte" → -1, "mittlere" → 0
    series: Mapping[str, int] = field(default_factory=dict)  # "baustein" → 5 items

    def rewrite(self, folded: str) -> str:
        """Apply the phrase rewrites (whole words only) to already folded text."""
        if self._pattern is None:
            return folded
        return self._pattern.sub(lambda match: self.phrases[match.group(0)], folded)

    def tokens(self, text: str, limit: int | None = MAX_FOLDED_CHARS) -> list[str]:
        """Fold, rewrite and split ``text``; number words become digits (see :func:`fold`)."""
        folded = self.rewrite(fold(text, limit))
        tokens = [self.numbers.get(token, token) for token in raw_tokens(folded)]
        return self._positions(tokens) if self.positions else tokens

    def _positions(self, tokens: list[str]) -> list[str]:
        """A position word before a series noun becomes an ordinal: "letzte Baustein" → "5."."""
        for i, token in enumerate(tokens):
            position = self.positions.get(token)
            if position is None:
                continue
            size = next(
                (
                    self.series[t]
                    for t in tokens[i + 1 : i + 1 + POSITION_REACH]
                    if t in self.series
                ),
                None,
            )
            if size is not None:
                number = (size + 1) // 2 if position == 0 else size + 1 + position
                if 1 <= number <= size:
                    tokens[i] = f"{number}{ORDINAL_MARK}"
        return tokens


def load_lexicon(path: Path = SYNONYMS_PATH) -> Lexicon:
    """Read and fold ``synonyms.yaml`` (raises :class:`LexiconError` on a malformed file)."""
    return parse_lexicon(path.read_text(encoding="utf-8"), path)


def parse_lexicon(text: str, path: Path = SYNONYMS_PATH) -> Lexicon:
    """Fold the text of ``synonyms.yaml`` read from ``path`` (named in a :class:`LexiconError`)."""
    data = yaml.load(text, Loader=_LOADER) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    try:
        return _build(data)
    except (AttributeError, TypeError, ValueError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc


def _build(data: Mapping[str, Any]) -> Lexicon:
    phrases = {fold(str(k)): fold(str(v)) for k, v in (data.get("phrases") or {}).items()}
    numbers = {
        fold(str(word)): str(digit) for digit, words in _items(data, "numbers") for word in words
    }
    numbers |= {
        fold(str(word)): f"{digit}{ORDINAL_MARK}"
        for digit, words in _items(data, "ordinals")
        for word in words
    }
    plain = Lexicon(phrases, numbers, frozenset(), {}, {}, 0.0, _phrase_pattern(phrases))
    synonyms = {
        fold(str(key)): tuple(_members(plain, members)) for key, members in _items(data, "synonyms")
    }
    hints_raw = dict(data.get("hints") or {})
    odds = float(hints_raw.pop("odds", 3.0))
    hints = {
        fold(str(name)): {fold(str(v)): tuple(map(str, ids)) for v, ids in values.items()}
        for name, values in hints_raw.items()
    }
    spec = dict(data.get("positions") or {})
    positions = {
        fold(str(word)): int(offset)
        for offset, words in (spec.get("words") or {}).items()
        for word in words
    }
    series = {
        fold(str(word)): int(size)
        for size, words in (spec.get("series") or {}).items()
        for word in words
    }
    return Lexicon(
        phrases,
        numbers,
        _stopwords(data.get("stopwords") or {}),
        synonyms,
        hints,
        odds,
        plain._pattern,
        positions,
        series,
    )


def _items(data: Mapping[str, Any], key: str) -> list[tuple[Any, list[Any]]]:
    return [(name, list(values)) for name, values in (data.get(key) or {}).items()]


def _members(plain: Lexicon, members: list[Any]) -> list[tuple[str, ...]]:
    tokenised = (tuple(plain.tokens(str(member))) for member in members)
    return sorted({tokens for tokens in tokenised if tokens})


def _stopwords(spec: Mapping[str, Any]) -> frozenset[str]:
    base = {fold(word) for word in STOPWORDS_GERMAN}
    added = {fold(str(word)) for word in spec.get("add") or ()}
    kept = {fold(str(word)) for word in spec.get("keep") or ()}
    return frozenset((base | added) - kept)


def _phrase_pattern(phrases: Mapping[str, str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
