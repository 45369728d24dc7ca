"""A small, strict parser for Telegram's HTML parse mode (modelled on tdlib's ``parse_html``).

It turns Telegram HTML into the plain text plus message entities that Telegram would store,
and raises :class:`HtmlError` with Telegram's wording ("Unsupported start tag ...",
"Can't find end tag corresponding to start tag ...") for input Telegram rejects.

Deliberate difference: with ``strict=True`` (the default) a bare ``&`` or a named entity other
than ``&lt; &gt; &amp; &quot;`` is an error.  Telegram keeps such text literally, but it almost
always means that the sender forgot to escape user or template content.
Not checked: Telegram's entity-nesting restrictions (e.g. nothing inside ``code``), which
Telegram repairs silently rather than rejecting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPES = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#x([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]*));?")
_SPACES = " \t\r\n\v\f\0"
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9.\-]*")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is Telegram's reason."""


@dataclass
class ParsedText:
    """Plain text and entities (offsets/lengths in UTF-16 code units) after parsing."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    argument: str
    start: int  # UTF-16 offset in the output
    byte_offset: int


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram HTML into text and entities; raise :class:`HtmlError` when Telegram would."""
    return _Parser(source, strict).run()


class _Parser:
    def __init__(self, source: str, strict: bool) -> None:
        self.src = source
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.out_len = 0  # UTF-16 units written so far
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def run(self) -> ParsedText:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                self._emit(self._entity())
            elif char == "<":
                self._tag()
            else:
                self._emit(char)
                self.pos += 1
        if self.stack:
            name = self.stack[-1].name
            raise HtmlError(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len += utf16_len(text)

    def _byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8"))

    def _entity(self) -> str:
        """Decode the character reference at ``self.pos`` and advance past it."""
        start = self.pos
        match = _ENTITY_RE.match(self.src, start)
        decoded = _decode_entity(match)
        if decoded is None:
            if self.strict:
                raise HtmlError(
                    f'Unescaped "&" or unsupported HTML entity at byte offset '
                    f"{self._byte_offset(start)} (the stand-in only accepts &lt; &gt; &amp; "
                    "&quot; and numeric entities)"
                )
            self.pos += 1
            return "&"
        assert match is not None
        self.pos = match.end()
        return decoded

    def _tag(self) -> None:
        begin = self.pos
        if self.src.startswith("</", begin):
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _read_until_space_or_gt(self, pos: int) -> int:
        while pos < len(self.src) and self.src[pos] not in _SPACES and self.src[pos] != ">":
            pos += 1
        return pos

    def _start_tag(self, begin: int) -> None:
        end = self._read_until_space_or_gt(begin + 1)
        if end >= len(self.src):
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        name = self.src[begin + 1 : end].lower()
        if name not in _ENTITY_TYPES:
            raise HtmlError(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(begin)}'
            )
        self.pos = end
        argument = self._attributes(name, begin)
        self.pos += 1  # the closing ">"
        if name == "span" and argument != "spoiler":
            raise HtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset(begin)}'
            )
        if name == "tg-emoji" and not argument.isdigit():
            raise HtmlError("Invalid custom emoji identifier specified")
        self.stack.append(_OpenTag(name, argument, self.out_len, self._byte_offset(begin)))

    def _attributes(self, tag: str, begin: int) -> str:
        """Parse the attributes of a start tag; return the one Telegram uses (href, class...)."""
        argument = ""
        while True:
            self._skip_spaces()
            if self.pos >= len(self.src):
                raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
            if self.src[self.pos] == ">":
                return argument
            name = self._attribute_name(tag, begin)
            self._skip_spaces()
            if self.pos >= len(self.src) or self.src[self.pos] != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                raise HtmlError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {self._byte_offset(begin)}'
                )
            self.pos += 1
            self._skip_spaces()
            value = self._attribute_value(begin)
            argument = _tag_argument(tag, name, value, argument)

    def _attribute_name(self, tag: str, begin: int) -> str:
        start = self.pos
        while self.pos < len(self.src) and self.src[self.pos] not in _SPACES + "=>":
            self.pos += 1
        if self.pos == start:
            raise HtmlError(
                f'Empty attribute name in the tag "{tag}" at byte offset {self._byte_offset(begin)}'
            )
        return self.src[start : self.pos].lower()

    def _attribute_value(self, begin: int) -> str:
        if self.pos >= len(self.src):
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        quote = self.src[self.pos]
        if quote not in "\"'":
            match = _NAME_TOKEN_RE.match(self.src, self.pos)
            assert match is not None
            self.pos = match.end()
            if self.pos < len(self.src) and self.src[self.pos] not in _SPACES + ">":
                offset = self._byte_offset(match.start())
                raise HtmlError(f"Unexpected end of name token at byte offset {offset}")
            return match.group().lower()
        self.pos += 1
        parts: list[str] = []
        while self.pos < len(self.src) and self.src[self.pos] != quote:
            if self.src[self.pos] == "&":
                parts.append(self._entity())
            else:
                parts.append(self.src[self.pos])
                self.pos += 1
        self.pos += 1
        if self.pos >= len(self.src):
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        return "".join(parts)

    def _skip_spaces(self) -> None:
        while self.pos < len(self.src) and self.src[self.pos] in _SPACES:
            self.pos += 1

    def _end_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {offset}")
        name_end = self._read_until_space_or_gt(begin + 2)
        end_name = self.src[begin + 2 : name_end].lower()
        self.pos = name_end
        self._skip_spaces()
        if self.pos >= len(self.src) or self.src[self.pos] != ">":
            raise HtmlError(f"Unclosed end tag at byte offset {offset}")
        self.pos += 1
        open_tag = self.stack.pop()
        if end_name and end_name != open_tag.name:
            raise HtmlError(
                f'Unmatched end tag at byte offset {offset}, expected "</{open_tag.name}>", '
                f'found "</{end_name}>"'
            )
        self._close_entity(open_tag)

    def _close_entity(self, tag: _OpenTag) -> None:
        length = self.out_len - tag.start
        if length <= 0:
            return
        if tag.name == "code" and tag.argument and self.stack and self.stack[-1].name == "pre":
            self.stack[-1].argument = tag.argument  # <pre><code class="language-x"> -> pre.language
            return
        entity: dict[str, Any] = {"type": _ENTITY_TYPES[tag.name], "offset": tag.start}
        entity["length"] = length
        _add_entity_argument(entity, tag, "".join(self.out))
        self.entities.append(entity)


def _decode_entity(match: re.Match[str] | None) -> str | None:
    """The character a ``&...;`` reference stands for, or None if Telegram would not decode it."""
    if match is None:
        return None
    hex_digits, decimal, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    code = int(hex_digits, 16) if hex_digits is not None else int(decimal)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The entity argument an attribute contributes (tdlib keeps only a few attributes)."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return current


def _add_entity_argument(entity: dict[str, Any], tag: _OpenTag, text: str) -> None:
    if tag.name == "a":
        entity["url"] = tag.argument or _utf16_slice(text, tag.start, entity["length"])
    elif tag.name == "pre" and tag.argument:
        entity["language"] = tag.argument
    elif tag.name == "blockquote" and tag.argument == "expandable":
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.argument


def _utf16_slice(text: str, offset: int, length: int) -> str:
    raw = text.encode("utf-16-le")[2 * offset : 2 * (offset + length)]
    return raw.decode("utf-16-le")


def strip_formatted(parsed: ParsedText) -> ParsedText:
    """Trim surrounding whitespace as Telegram does, shifting and clipping the entities."""
    text = parsed.text.strip()
    if not text:
        return ParsedText("", [])
    shift = utf16_len(parsed.text[: len(parsed.text) - len(parsed.text.lstrip())])
    total = utf16_len(text)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(text, entities)
