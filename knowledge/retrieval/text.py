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
ORDINAL_MARK = "."  # "3." (also "dritte") is an ordinal: it names one item, it does not count

_MARKUP = re.compile(r"<[^<>]{0,200}>|&[a-z]{2,8};|&#[0-9]{1,6};")
_TYPED_UE = re.compile(r"(?<![aeiouyq])ue")
# control and invisible characters that str.split() does not treat as whitespace
_INVISIBLE = {
    code: " "
    for first, last in (
        (0x00, 0x1F),
        (0x7F, 0x9F),
        (0xAD, 0xAD),
        (0x200B, 0x200F),
        (0x2028, 0x202E),
        (0x2060, 0x206F),
        (0xFEFF, 0xFEFF),
    )
    for code in range(first, last + 1)
}
_SPECIAL = re.compile(r"[0-9@]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_TOKEN = re.compile(r"[a-z]+(?:@[a-z]+)?|[0-9]{1,2}\.(?= ?[a-z])|[0-9]+(?:[.,][0-9]+)*")
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
    folded = " ".join(folded.translate(_INVISIBLE).split())
    return folded if limit is None else folded[:limit]


def raw_tokens(folded: str) -> list[str]:
    """Split folded text into letter runs and numbers (letters and digits split: "ozg2" → 2 tokens).

    Numbers are normalised: "2.0" → "2", "1.101" → "1101", dates "31.12.2022" → "31", "12", "2022";
    an ordinal keeps its dot ("3. Runde" → "3.", "runde").
    One-character tokens are kept (unlike bm25s' default splitter). A name with "@"
    ("Kommunen@digital") gives its parts and then the joined name ("kommunendigital").
    """
    if not _SPECIAL.search(folded):
        return _TOKEN.findall(folded)  # the common case: words only
    tokens: list[str] = []
    for token in _TOKEN.findall(folded):
        if token[0].isdigit():
            tokens.extend(_number_tokens(token))
        elif "@" in token:
            left, right = token.split("@")
            tokens.extend((left, right, left + right))
        else:
            tokens.append(token)
    return tokens


def _number_tokens(token: str) -> list[str]:
    if token.endswith(ORDINAL_MARK):
        return [token]
    if _THOUSANDS.fullmatch(token):
        return [token.replace(".", "")]
    if match := _VERSION.fullmatch(token):
        return [match.group(1)]
    return [part for part in re.split(r"[.,]", token) if part]
