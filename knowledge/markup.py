"""Telegram HTML (``parse_mode=HTML``): strict validation, visible length, escaping, splitting.

Pure functions, no ``telegram`` import. The rules follow Telegram's own parser (tdlib
``parse_html``) and entity rules, but are stricter where Telegram would silently drop or
mangle formatting: unknown attributes, a bare ``&``, ``<code>`` inside ``<b>``, a link in a link.
A raw ``>`` in text is accepted, as Telegram accepts it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

TELEGRAM_LIMIT = 4096

SUPPORTED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}
    | {"blockquote", "tg-spoiler", "span", "tg-emoji"}
)
_ALLOWED_ATTRS = {
    "a": {"href"},
    "code": {"class"},
    "span": {"class"},
    "tg-emoji": {"emoji-id"},
    "blockquote": {"expandable"},
}
_LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-z]+));")
_LOOKS_LIKE_ENTITY = re.compile(r"&(?:#\w*;?|\w+;|(?:lt|gt|amp|quot)\b)")
_END_TAG = re.compile(r"</([^\s>]*)\s*>")
_TAG_NAME = re.compile(r"[^\s>]*")
_ATTR = re.compile(r"""\s*([^\s=>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9.-]*)))?""")


@dataclass(frozen=True)
class HtmlError:
    """One problem at a character offset (0-based) of the checked text."""

    offset: int
    message: str


@dataclass(frozen=True)
class _Text:
    value: str  # what the reader sees
    start: int
    end: int  # exclusive; a "plain" run has end - start == len(value)
    plain: bool = True


@dataclass(frozen=True)
class _Tag:
    name: str
    closing: bool
    start: int
    end: int
    attrs: tuple[tuple[str, str | None], ...] = ()


_Token = _Text | _Tag


def _at(offset: int) -> str:
    return f"at character {offset + 1}"


# --- tokenizer -----------------------------------------------------------------------------


def _entity(src: str, i: int) -> tuple[str | None, int, str | None]:
    """Decode the entity at ``src[i] == '&'``: (character, end, error)."""
    match = _ENTITY.match(src, i)
    if match is None:
        loose = _LOOKS_LIKE_ENTITY.match(src, i)
        if loose:
            return None, i + 1, f"malformed entity {loose.group()!r} {_at(i)}; write &amp; for '&'"
        return None, i + 1, f"bare '&' {_at(i)}; write &amp;"
    hex_digits, dec_digits, name = match.groups()
    if name is not None:
        if name not in _NAMED:
            return None, i + 1, f"unsupported entity &{name}; {_at(i)} (use &lt; &gt; &amp; &quot;)"
        return _NAMED[name], match.end(), None
    code = int(hex_digits, 16) if hex_digits else int(dec_digits)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None, i + 1, f"entity {match.group()} {_at(i)} is not a valid character"
    return chr(code), match.end(), None


def _decode(src: str, start: int, end: int, errors: list[HtmlError]) -> str:
    """Decode entities in an attribute value ``src[start:end]``."""
    out, i = [], start
    while i < end:
        if src[i] != "&":
            out.append(src[i])
            i += 1
            continue
        char, i, error = _entity(src, i)
        if error:
            errors.append(HtmlError(i - 1, error))
        out.append(char or "&")
    return "".join(out)


_Attrs = list[tuple[str, str | None]]


def _attributes(src: str, i: int, errors: list[HtmlError]) -> tuple[_Attrs, int]:
    """Read attributes up to and including '>': (attrs, end), end < 0 if malformed."""
    attrs: _Attrs = []
    while True:
        while i < len(src) and src[i].isspace():
            i += 1
        if i >= len(src):
            return attrs, -1  # the tag never ends
        if src[i] == ">":
            return attrs, i + 1
        match = _ATTR.match(src, i)
        if match is None or (match.end() < len(src) and src[match.end()] not in " \t\r\n>"):
            return attrs, -2  # garbage, such as an unquoted URL
        group = 2 if match.group(2) is not None else 3 if match.group(3) is not None else 4
        value = match.group(group)
        if value is not None:
            value = _decode(src, match.start(group), match.end(group), errors)
        attrs.append((match.group(1), value))
        i = match.end()


def _tag(src: str, i: int, errors: list[HtmlError]) -> _Tag | None:
    """Read the tag starting at ``src[i] == '<'``; None (with an error) if it is not one."""
    if src.startswith("</", i):
        closing = _END_TAG.match(src, i)
        if closing is None or not closing.group(1):
            errors.append(HtmlError(i, f"malformed end tag {_at(i)}; write &lt; for '<'"))
            return None
        if closing.group(1).lower() not in SUPPORTED_TAGS:
            problem = f"unsupported tag </{closing.group(1)}> {_at(i)}; write &lt; for '<'"
            errors.append(HtmlError(i, problem))
            return None
        return _Tag(closing.group(1).lower(), True, i, closing.end())
    name = _TAG_NAME.match(src, i + 1).group()  # type: ignore[union-attr]
    if not name:
        errors.append(HtmlError(i, f"'<' {_at(i)} does not start a tag; write &lt;"))
        return None
    if name.lower() not in SUPPORTED_TAGS:
        errors.append(HtmlError(i, f"unsupported tag <{name}> {_at(i)}; write &lt; for '<'"))
        return None
    attrs, end = _attributes(src, i + 1 + len(name), errors)
    if end < 0:
        problem = (
            "never ends (missing '>')" if end == -1 else "has malformed attributes (quote values)"
        )
        errors.append(HtmlError(i, f"tag <{name}> {_at(i)} {problem}"))
        return None
    return _Tag(name.lower(), False, i, end, tuple(attrs))


def _tokenize(src: str) -> tuple[list[_Token], list[HtmlError]]:
    """Split ``src`` into text runs, entities and tags; bad '<'/'&' become literal text."""
    tokens: list[_Token] = []
    errors: list[HtmlError] = []
    i = 0
    while i < len(src):
        special = _SPECIAL.search(src, i)
        stop = special.start() if special else len(src)
        if stop > i:
            tokens.append(_Text(src[i:stop], i, stop))
        if special is None:
            break
        if src[stop] == "<":
            tag = _tag(src, stop, errors)
            tokens.append(tag or _Text("<", stop, stop + 1))
            i = tag.end if tag else stop + 1
        else:
            char, i, error = _entity(src, stop)
            if error:
                errors.append(HtmlError(stop, error))
            tokens.append(_Text(char, stop, i, plain=False) if char else _Text("&", stop, i))
    return tokens, errors


# --- validation ----------------------------------------------------------------------------


@dataclass
class _Open:
    tag: _Tag
    children: int = 0
    direct_text: bool = False
    content: list[str] = field(default_factory=list)


def find_html_errors(text: str) -> list[HtmlError]:
    """Every problem in ``text`` with its character offset (for mapping offsets to lines)."""
    tokens, errors = _tokenize(text)
    stack: list[_Open] = []
    for token in tokens:
        if isinstance(token, _Text):
            if stack:
                stack[-1].direct_text = True
                stack[-1].content.append(token.value)
        elif token.closing:
            errors += _close(stack, token)
        else:
            errors += _open(stack, token)
    errors += [
        HtmlError(o.tag.start, f"<{o.tag.name}> {_at(o.tag.start)} is never closed") for o in stack
    ]
    return sorted(errors, key=lambda error: error.offset)


def validate_html(text: str) -> list[str]:
    """Human-readable reasons why Telegram would reject or mis-render ``text``; empty if fine.

    An empty or whitespace-only text passes: that is a message-level rule, not markup.
    """
    return [error.message for error in find_html_errors(text)]


def _open(stack: list[_Open], tag: _Tag) -> list[HtmlError]:
    ancestors = [o.tag.name for o in stack]
    problems = _attribute_problems(tag, ancestors[-1] if ancestors else None)
    problems += _nesting_problems(tag, ancestors)
    if stack:
        stack[-1].children += 1
    stack.append(_Open(tag))
    return [HtmlError(tag.start, problem) for problem in problems]


def _close(stack: list[_Open], tag: _Tag) -> list[HtmlError]:
    where = f"</{tag.name}> {_at(tag.start)}"
    if not stack:
        return [HtmlError(tag.start, f"{where} has no matching start tag")]
    top = stack[-1]
    if top.tag.name != tag.name:
        opened = f"<{top.tag.name}> from character {top.tag.start + 1}"
        if tag.name in (o.tag.name for o in stack):  # recover: close everything up to it
            while stack.pop().tag.name != tag.name:
                pass
        return [HtmlError(tag.start, f"{where} does not match the open {opened}")]
    stack.pop()
    return [HtmlError(top.tag.start, problem) for problem in _content_problems(top)]


def _content_problems(element: _Open) -> list[str]:
    where = f"<{element.tag.name}> {_at(element.tag.start)}"
    if (
        element.tag.name == "pre"
        and element.children
        and (element.children > 1 or element.direct_text)
    ):
        return [f"{where} must contain either plain text or exactly one <code> and nothing else"]
    content = "".join(element.content)
    if element.tag.name == "tg-emoji" and (not content or re.search(r"[\sA-Za-z0-9]", content)):
        return [f"{where} must contain exactly one emoji"]
    return []


def _attribute_problems(tag: _Tag, parent: str | None) -> list[str]:
    where = f"<{tag.name}> {_at(tag.start)}"
    allowed = _ALLOWED_ATTRS.get(tag.name, set())
    names = [name for name, _ in tag.attrs]
    problems = [
        f"attribute {name!r} is not allowed on {where}" for name in names if name not in allowed
    ]
    problems += [
        f"{where} repeats attribute {n!r}" for n in sorted(set(names)) if names.count(n) > 1
    ]
    attrs = dict(tag.attrs)
    if tag.name == "a":
        problems += _href_problems(attrs.get("href"), where)
    elif tag.name == "span" and attrs.get("class") != "tg-spoiler":
        problems.append(f'{where} needs class="tg-spoiler"')
    elif tag.name == "tg-emoji" and not re.fullmatch(r"[1-9][0-9]*", attrs.get("emoji-id") or ""):
        problems.append(f"{where} needs a numeric emoji-id")
    elif tag.name == "code" and "class" in attrs:
        if parent != "pre":
            problems.append(f"{where}: a language class is only allowed on <code> inside <pre>")
        elif not re.fullmatch(r"language-\S+", attrs["class"] or ""):
            problems.append(f'{where}: class must look like "language-python"')
    elif tag.name == "blockquote" and attrs.get("expandable") is not None:
        problems.append(f"{where}: expandable takes no value")
    return problems


def _href_problems(href: str | None, where: str) -> list[str]:
    if not href:
        return [f"{where} needs a non-empty href"]
    if not href.lower().startswith(_LINK_SCHEMES):
        return [f"{where}: href {href!r} must start with http://, https://, tg:// or mailto:"]
    if re.search(r"\s", href):
        return [f"{where}: href {href!r} contains whitespace"]
    return []


def _nesting_problems(tag: _Tag, ancestors: list[str]) -> list[str]:
    if not ancestors:
        return []
    where, parent = f"<{tag.name}> {_at(tag.start)}", ancestors[-1]
    if parent == "pre" and tag.name == "code":
        return []
    if parent in ("code", "pre"):
        return [f"{where} is inside <{parent}>, which cannot contain other tags"]
    if tag.name == "blockquote":
        return [f"{where} cannot be nested inside <{parent}>"]
    outer = [a for a in ancestors if a != "blockquote"]
    if tag.name in ("code", "pre") and outer:
        return [f"{where} cannot be inside <{outer[-1]}>; Telegram drops one of them"]
    links = [a for a in ancestors if a in ("a", "tg-emoji")]
    if tag.name in ("a", "tg-emoji") and links:
        return [f"{where} cannot be inside <{links[-1]}>"]
    return []


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
