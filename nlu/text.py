"""Text normalisation and tokenisation that keep character offsets into the original text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Umlauts fold to their base vowel and ß to s, one character for one, so offsets stay valid and
# "fur"/"für", "Strase"/"Straße" meet. Typographic dashes and quotes become plain ones.
_FOLD = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "ß": "s",
        "–": "-",
        "—": "-",
        "„": '"',
        "“": '"',
        "”": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
    }
)
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Token:
    """A word of the folded text with its span in the original text."""

    text: str
    start: int
    end: int


def fold(text: str) -> str:
    """Lower-case and fold ``text`` without changing its length (control characters → spaces)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch if len(low := ch.lower()) != 1 else low for ch in text)
    folded = lowered.translate(_FOLD)
    if folded.isprintable():
        return folded
    return "".join(ch if ch.isprintable() else " " for ch in folded)


def fold_phrase(text: str) -> str:
    """Fold a dictionary phrase and collapse it to single-space-separated words."""
    return " ".join(token.text for token in tokenize(fold(unicodedata.normalize("NFC", text))))


def tokenize(folded: str) -> list[Token]:
    """Split folded text into word tokens (letters and digits)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
