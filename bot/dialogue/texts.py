"""The bot's fixed texts, loaded from ``bot/texts.yaml`` (content as data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

TEXTS_PATH = Path(__file__).resolve().parent.parent / "texts.yaml"


class Texts:
    """Look up a text by key; ``format`` fills ``{placeholders}`` (callers escape user input)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts

    def __getitem__(self, key: str) -> str:
        return self._texts[key].strip()

    def format(self, key: str, **values: str) -> str:
        """Return the text with its placeholders filled."""
        return self[key].format(**values)

    def keys(self) -> set[str]:
        """All defined keys (used by tests to check that every text exists)."""
        return set(self._texts)


@cache
def load_texts(path: Path = TEXTS_PATH) -> Texts:
    """Read and cache the texts file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected a mapping of text keys to strings")
    return Texts(data)
