"""Vocabulary-free text handling: clean, fold and split German questions into raw tokens.

Folding mirrors the German Snowball stemmer so that both sides of a match agree: lower-case,
``ß`` → ``ss``, accents stripped (``ä`` → ``a``), and typed ``ae``/``oe``/``ue`` read as umlauts
(``ue`` only when not after a vowel or ``q``, so "neuen" and "Quelle" stay intact).
"""

from __future__ import annotations

import re
import unicodedata

MAX_RAW_CHARS = 2000
MAX_FOLDED_CHARS = 500

_MARKUP = re.compile(r"<[^<>]{0,200}>|&[a-z]{2,8};|&#[0-9]{1,6};")
_TYPED_UE = re.compile(r"(?<![aeiouyq])ue")
_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:[.,][0-9]+)*")
_VERSION = re.compile(r"([0-9]+)[.,]0+")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


def fold(text: str, limit: int | None = MAX_FOLDED_CHARS) -> str:
    """Clean and fold ``text``: no markup, no control characters, ASCII letters where possible.

    With a ``limit`` (questions), the input is truncated early (``MAX_RAW_CHARS`` before and
    ``limit`` after folding), so arbitrarily long input costs the same as a long question;
    documents pass ``limit=None``.
    """
    if limit is not None:
        text = text[:MAX_RAW_CHARS]
    text = _MARKUP.sub(" ", text.casefold())
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    folded = _TYPED_UE.sub("u", text.replace("ae", "a").replace("oe", "o"))
    folded = _SPACES.sub(" ", folded).strip()
    return folded if limit is None else folded[:limit]


def raw_tokens(folded: str) -> list[str]:
    """Split folded text into letter runs and numbers (letters and digits split: "ozg2" → 2 tokens).

    Numbers are normalised: "2.0" → "2", "1.101" → "1101", dates "31.12.2022" → "31", "12", "2022".
    One-character tokens are kept (unlike bm25s' default splitter).
    """
    tokens: list[str] = []
    for token in _TOKEN.findall(folded):
        if token[0].isdigit():
            tokens.extend(_number_tokens(token))
        else:
            tokens.append(token)
    return tokens


def _number_tokens(token: str) -> list[str]:
    if _THOUSANDS.fullmatch(token):
        return [token.replace(".", "")]
    if match := _VERSION.fullmatch(token):
        return [match.group(1)]
    return [part for part in re.split(r"[.,]", token) if part]
