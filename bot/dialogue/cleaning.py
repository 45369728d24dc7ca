"""Make user input safe to process: normalise, drop control characters, bound the length."""

from __future__ import annotations

import re
import unicodedata

MAX_PROCESSED_CHARS = 1000  # free text (questions): the NLU and retrieval see at most this
MAX_COMMAND_CHARS = 4096  # commands: Telegram's message limit; longer ones are refused, not cut
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def clean_text(text: str) -> tuple[str, bool]:
    """Return the cleaned text and whether it had to be shortened.

    Commands are never cut: each command refuses input over the limit of one of its fields,
    naming it, instead of working on a silently cut text (see ``command_too_long``).
    """
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > MAX_PROCESSED_CHARS and split_command(text) is None:
        return text[:MAX_PROCESSED_CHARS].rstrip(), True
    return text, False


def command_too_long(text: str) -> bool:
    """Whether a (cleaned) command is longer than any message Telegram would deliver."""
    return len(text) > MAX_COMMAND_CHARS


def split_command(text: str) -> tuple[str, str] | None:
    """``"/Hilfe@digilotse_bot foo"`` → ``("hilfe", "foo")``; ``None`` if it is not a command."""
    match = re.match(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?$", text, re.S)
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()
