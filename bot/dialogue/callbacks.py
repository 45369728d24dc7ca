"""Compact callback data for inline buttons: ``<kind>:<arg>:<arg>``, ASCII only, ≤ 64 bytes.

Anything a client sends back is untrusted: ``decode`` rejects whatever does not have this shape,
and each feature validates the arguments of its own kinds (unknown ids, stale steps).
"""

from __future__ import annotations

import re

from bot.dialogue.types import MAX_CALLBACK_BYTES

_PART = re.compile(r"^[A-Za-z0-9_.+-]{1,40}$")
_DIGITS = re.compile(r"[0-9]{1,19}", re.ASCII)
SEPARATOR = ":"
# Every table id is an ``Integer`` column: 32 bits on PostgreSQL, so the smaller bound holds.
ID_MAX = 2**31 - 1


def encode(kind: str, *args: str | int) -> str:
    """Join a kind and its arguments; raise ``ValueError`` if the result would be invalid."""
    parts = [kind, *(str(arg) for arg in args)]
    data = SEPARATOR.join(parts)
    if not all(_PART.match(part) for part in parts) or len(data) > MAX_CALLBACK_BYTES:
        raise ValueError(f"invalid callback data: {data!r}")
    return data


def decode(data: str | None) -> tuple[str, ...] | None:
    """Split callback data into ``(kind, *args)``, or ``None`` if it is malformed."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_CALLBACK_BYTES:
        return None
    parts = tuple(data.split(SEPARATOR))
    if not all(_PART.match(part) for part in parts):
        return None
    return parts


def parse_int(text: str, low: int, high: int) -> int | None:
    """ASCII digits only (no sign, space or other script's digits) within ``low..high``."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(text: str) -> int | None:
    """A database id from untrusted input: ``1..ID_MAX``, else ``None``."""
    return parse_int(text, 1, ID_MAX)
