"""Visible text and length as Telegram counts them, escaping and sanitising user input."""

from __future__ import annotations

import html
import re
import unicodedata

from knowledge.markup.parsing import _Text, _tokenize

# --- text, length, escaping ----------------------------------------------------------------


def visible_text(html: str) -> str:
    """What the reader sees: tags stripped, entities decoded (best effort for invalid input)."""
    tokens, _ = _tokenize(html)
    return "".join(token.value for token in tokens if isinstance(token, _Text))


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible_length(html: str) -> int:
    """Visible length as Telegram counts it against the 4096 limit (UTF-16 code units)."""
    return utf16_length(visible_text(html))


def escape(text: str, *, quote: bool = False) -> str:
    """Escape ``&``, ``<`` and ``>`` for message text; ``quote=True`` also quotes for attributes.

    Quotes in text need no escaping; in attribute values ``quote=True`` yields ``&quot;`` and
    ``&#x27;``, both of which Telegram decodes.
    """
    return html.escape(text, quote=quote)


_SPACE_RUN = re.compile(r"[^\S\n]+")
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def sanitize_user_text(text: str, max_len: int = 500) -> str:
    """Make user input safe to echo inside an HTML message.

    Removes control characters (except newlines) and bidi overrides, turns other whitespace into
    single spaces, trims every line, keeps at most one empty line in a row, truncates to
    ``max_len`` characters (code points) with "…" and finally escapes the HTML.
    """
    if max_len < 1:
        raise ValueError("max_len must be at least 1")
    text = _SPACE_RUN.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs"))
    text = "\n".join(line.strip() for line in text.translate(_BIDI_CONTROLS).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > max_len:
        text = text[: max_len - 1].rstrip() + "…"
    return escape(text)
