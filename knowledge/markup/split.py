"""Splitting a valid message into parts that fit Telegram's limit and are valid on their own."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from knowledge.markup.parsing import TELEGRAM_LIMIT, _Tag, _Text, _Token, _tokenize, validate_html
from knowledge.markup.text import utf16_length, visible_length

# --- splitting -----------------------------------------------------------------------------

# Preferred cut points, best first: (pattern, cut after the match instead of before it).
_BREAKS = (
    (re.compile(r"\n[^\S\n]*\n"), False),
    (re.compile(r"\n"), False),
    (re.compile(r"[.!?…][\"'»«“”)\]]*(?=\s)"), True),
    (re.compile(r"\s"), False),
)
_JOINERS = "\u200d\ufe0e\ufe0f"


@dataclass
class _Layout:
    """The visible text of a valid message and how each visible character maps back to source."""

    src: str
    tokens: list[_Token]
    text: str = ""
    token_of: list[int] = field(default_factory=list)  # visible index -> token index
    token_pos: list[int] = field(default_factory=list)  # token index -> first visible index
    stacks: list[tuple[_Tag, ...]] = field(default_factory=list)  # tags open at each token
    locked: set[int] = field(default_factory=set)  # cut positions inside a tg-emoji
    units: list[int] = field(default_factory=list)  # UTF-16 units before each visible index


def _layout(src: str) -> _Layout:
    layout = _Layout(src, _tokenize(src)[0])
    stack: list[tuple[_Tag, int]] = []
    pieces: list[str] = []
    for index, token in enumerate(layout.tokens):
        pos = len(layout.token_of)
        layout.token_pos.append(pos)
        layout.stacks.append(tuple(tag for tag, _ in stack))
        if isinstance(token, _Text):
            pieces.append(token.value)
            layout.token_of.extend([index] * len(token.value))
        elif not token.closing:
            stack.append((token, pos))
        elif (opened := stack.pop())[0].name == "tg-emoji":
            layout.locked.update(range(opened[1] + 1, pos))
    layout.text = "".join(pieces)
    layout.units = [0, *accumulate(utf16_length(c) for c in layout.text)]
    return layout


def split_html(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split a valid message into valid parts of at most ``limit`` visible UTF-16 units.

    Cuts at paragraph breaks, else line breaks, sentence ends, spaces, and as a last resort
    anywhere (never inside a tag, an entity, a ``<tg-emoji>`` or a joined emoji). Tags open at a
    cut are closed at the end of one part and reopened at the start of the next; whitespace at a
    cut is dropped. A message that fits is returned unchanged. Raises ``ValueError`` for invalid
    HTML.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if problems := validate_html(html):
        raise ValueError(f"cannot split invalid Telegram HTML: {problems[0]}")
    if visible_length(html) <= limit:
        return [html]
    layout, parts = _layout(html), []
    text = layout.text
    start = _skip_space(text, 0)
    while start < len(text):
        cut = end = _choose_cut(layout, start, limit)
        while text[end - 1].isspace():
            end -= 1
        parts.append(_render_part(layout, start, end))
        start = _skip_space(text, cut)
    return parts


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _choose_cut(layout: _Layout, start: int, limit: int) -> int:
    fits = bisect_right(layout.units, layout.units[start] + limit) - 1
    if fits >= len(layout.text):
        return len(layout.text)
    for min_fill in (limit // 2, 0):
        for pattern, after in _BREAKS:
            cut = _last_break(layout, start, fits, min_fill, pattern, after)
            if cut is not None:
                return cut
    return _hard_cut(layout, start, fits)


def _last_break(
    layout: _Layout, start: int, fits: int, min_fill: int, pattern: re.Pattern[str], after: bool
) -> int | None:
    best = None
    for match in pattern.finditer(layout.text, start, fits + 1):
        cut = match.end() if after else match.start()
        fill = layout.units[cut] - layout.units[start]
        if start < cut <= fits and fill >= min_fill and cut not in layout.locked:
            best = cut
    return best


def _hard_cut(layout: _Layout, start: int, fits: int) -> int:
    cut = fits
    while cut > start and not _cuttable(layout, cut):
        cut -= 1
    if cut > start:
        return cut
    cut = start + 1  # one unit longer than the limit: emit it whole rather than loop forever
    while cut < len(layout.text) and not _cuttable(layout, cut):
        cut += 1
    return cut


def _cuttable(layout: _Layout, pos: int) -> bool:
    """Whether a hard cut before ``text[pos]`` keeps every (emoji) character whole."""
    text = layout.text
    joined = unicodedata.combining(text[pos]) or text[pos] in _JOINERS or text[pos - 1] == "\u200d"
    skin_tone = "\U0001f3fb" <= text[pos] <= "\U0001f3ff"
    return pos not in layout.locked and not joined and not skin_tone and not _in_flag(text, pos)


def _in_flag(text: str, pos: int) -> bool:
    """Whether ``pos`` falls between the two regional indicators of a flag."""
    if not _is_regional(text[pos]):
        return False
    before = pos
    while before > 0 and _is_regional(text[before - 1]):
        before -= 1
    return (pos - before) % 2 == 1


def _is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _render_part(layout: _Layout, start: int, end: int) -> str:
    first, last = layout.token_of[start], layout.token_of[end - 1]
    opening = "".join(layout.src[tag.start : tag.end] for tag in layout.stacks[first])
    closing = "".join(f"</{tag.name}>" for tag in reversed(layout.stacks[last]))
    return (
        opening + layout.src[_source_pos(layout, start) : _source_pos(layout, end - 1, 1)] + closing
    )


def _source_pos(layout: _Layout, pos: int, after: int = 0) -> int:
    """Source offset where visible character ``pos`` starts (``after=1``: where it ends)."""
    index = layout.token_of[pos]
    token = layout.tokens[index]
    assert isinstance(token, _Text)
    if not token.plain:
        return token.end if after else token.start
    return token.start + pos - layout.token_pos[index] + after
