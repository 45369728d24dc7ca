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

_TAG = re.compile(r"<[^<>]{0,200}>")
_ENTITY = re.compile(r"&[a-z]{2,8};|&#[0-9]{1,6};")
_TYPED_UMLAUT = re.compile(r"ae|oe|(?<![aeiouyq])ue")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:[.,][0-9]+)*")
_VERSION = re.compile(r"([0-9]+)[.,]0+")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


def fold(text: str) -> str:
    """Clean and fold ``text``: no markup, no control characters, ASCII letters where possible.

    The input is truncated early (to ``MAX_RAW_CHARS`` before and ``MAX_FOLDED_CHARS`` after
    folding), so arbitrarily long input costs the same as a long question.
    """
    text = _ENTITY.sub(" ", _TAG.sub(" ", text[:MAX_RAW_CHARS].casefold()))
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (_keep(char) for char in decomposed if unicodedata.category(char) != "Mn")
    folded = _TYPED_UMLAUT.sub(lambda match: match.group(0)[0], "".join(kept))
    return _SPACES.sub(" ", folded).strip()[:MAX_FOLDED_CHARS]


def _keep(char: str) -> str:
    """Replace control, format and other invisible characters by a space."""
    return " " if unicodedata.category(char)[0] in "CZ" else char


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
