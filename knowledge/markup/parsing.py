"""Tokenizing and strict validation of Telegram HTML (``parse_mode=HTML``).

The rules follow Telegram's own parser (tdlib ``parse_html``) and entity rules, but are stricter
where Telegram would silently drop or mangle formatting: unknown attributes, a bare ``&``,
``<code>`` inside ``<b>``, a link in a link. A raw ``>`` in text is accepted, as Telegram does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
