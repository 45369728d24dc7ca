"""Telegram HTML (``parse_mode=HTML``): strict validation, visible length, escaping, splitting.

Pure functions, no ``telegram`` import.
"""

from knowledge.markup.parsing import (
    SUPPORTED_TAGS,
    TELEGRAM_LIMIT,
    HtmlError,
    find_html_errors,
    validate_html,
)
from knowledge.markup.split import split_html
from knowledge.markup.text import (
    escape,
    sanitize_user_text,
    utf16_length,
    visible_length,
    visible_text,
)

__all__ = [
    "SUPPORTED_TAGS",
    "TELEGRAM_LIMIT",
    "HtmlError",
    "escape",
    "find_html_errors",
    "sanitize_user_text",
    "split_html",
    "utf16_length",
    "validate_html",
    "visible_length",
    "visible_text",
]
