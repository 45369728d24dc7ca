"""The bot's fixed texts from ``bot/texts/*.yaml`` (content as data, one file per feature)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from knowledge.markup import visible_text

TEXTS_DIR = Path(__file__).resolve().parent.parent / "texts"
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


class Texts:
    """Look up a text by key; ``format`` fills ``{placeholders}`` (callers escape user input)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts

    def __getitem__(self, key: str) -> str:
        return self._texts[key].strip()

    def get(self, key: str, default: object) -> object:
        """The text for ``key``, or ``default`` when there is no such key."""
        return self[key] if key in self._texts else default

    def format(self, key: str, **values: str) -> str:
        """Return the text with its placeholders filled."""
        return self[key].format(**values)

    def keys(self) -> set[str]:
        """All defined keys (used by tests to check that every text exists)."""
        return set(self._texts)


@cache
def load_texts(directory: Path = TEXTS_DIR) -> Texts:
    """Read and cache every texts file; a key defined twice is an error."""
    texts: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValueError(f"{path}: expected a mapping of text keys to strings")
        duplicates = texts.keys() & data.keys()
        if duplicates:
            raise ValueError(f"{path}: text keys defined twice: {sorted(duplicates)}")
        texts.update(data)
    return Texts(texts)


def to_plain(html: str) -> str:
    """Render a Telegram HTML message for a terminal reader: links keep their address, tags go."""
    return visible_text(_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", html))
