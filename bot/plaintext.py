"""Telegram HTML → plain text for the terminal: links keep their address, tags go."""

from __future__ import annotations

import re

from knowledge.markup import visible_text

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def to_plain(html: str) -> str:
    """Render a message for a terminal reader."""
    return visible_text(_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", html))
