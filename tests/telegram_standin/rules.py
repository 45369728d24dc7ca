"""Telegram's request rules: parameter decoding, text/caption limits, keyboards, commands.

Every check raises :class:`ApiError` carrying the status and description Telegram answers with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .html_check import HtmlError, ParsedText, parse_html, strip_formatted, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100

_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
    }
)
_INT_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "max_connections"}
    | {"reply_to_message_id", "message_thread_id"}
)
_BOOL_FIELDS = frozenset(
    {"show_alert", "disable_notification", "protect_content", "drop_pending_updates"}
    | {"disable_web_page_preview", "allow_sending_without_reply", "has_spoiler"}
)
_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_URL_RE = re.compile(r"(https?|tg)://\S+", re.IGNORECASE)


class ApiError(Exception):
    """A Bot API error response."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 with Telegram's ``Bad Request:`` prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def decode_params(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form strings into the values a JSON request would carry (ints, bools, objects)."""
    return {name: _decode(name, value) for name, value in raw.items()}


def _decode(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value  # left as str; the method's validation rejects it
    if name in _INT_FIELDS and _INT_RE.fullmatch(value):
        return int(value)
    if name in _BOOL_FIELDS and value in ("true", "false", "True", "False"):
        return value.lower() == "true"
    return value


def require(params: Mapping[str, Any], name: str) -> Any:
    """A required parameter; Telegram's "<name> is empty" when missing."""
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    return value


def optional_int(params: Mapping[str, Any], name: str, default: int) -> int:
    """An integer parameter with a default."""
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"invalid {name} specified")
    return value


def formatted_text(text: str, parse_mode: Any, *, strict: bool) -> ParsedText:
    """Apply parse_mode like Telegram and trim; HTML errors become "can't parse entities"."""
    mode = str(parse_mode).lower() if parse_mode else ""
    if mode not in ("", "html", "markdown", "markdownv2"):
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    parsed = ParsedText(text)
    if mode == "html":
        try:
            parsed = parse_html(text, strict=strict)
        except HtmlError as err:
            raise bad_request(f"can't parse entities: {err}") from err
    return strip_formatted(parsed)


def check_text(params: Mapping[str, Any], *, strict: bool) -> ParsedText:
    """``text`` of sendMessage/editMessageText: non-empty and ≤ 4096 UTF-16 units after parsing."""
    text = params.get("text")
    if not isinstance(text, str) or not text:
        raise bad_request("message text is empty")
    parsed = formatted_text(text, params.get("parse_mode"), strict=strict)
    if not parsed.text:
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > MAX_TEXT:
        raise bad_request("message is too long")
    return parsed


def check_caption(params: Mapping[str, Any], *, strict: bool) -> ParsedText | None:
    """Optional ``caption``: ≤ 1024 UTF-16 units after parsing."""
    caption = params.get("caption")
    if caption is None or caption == "":
        return None
    parsed = formatted_text(str(caption), params.get("parse_mode"), strict=strict)
    if utf16_len(parsed.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return parsed if parsed.text else None


def check_callback_answer(params: Mapping[str, Any]) -> None:
    """answerCallbackQuery's optional ``text`` (toast or alert): ≤ 200 UTF-16 units."""
    text = params.get("text")
    if isinstance(text, str) and utf16_len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate ``reply_markup``; inline buttons need a 1–64 byte callback_data or a valid URL."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            "can't parse reply keyboard markup JSON object: "
            '"inline_keyboard" must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "url" in button:
        if not isinstance(button["url"], str) or not _URL_RE.fullmatch(button["url"]):
            url = button["url"]
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    elif not button.keys() - {"text"}:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def check_commands(commands: Any) -> list[dict[str, str]]:
    """setMyCommands' list: ≤ 100 commands, names ``[a-z0-9_]{1,32}``, descriptions 1–256."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    for entry in commands:
        if not isinstance(entry, dict):
            raise bad_request("can't parse BotCommand")
        command = str(entry.get("command", ""))
        description = str(entry.get("description", ""))
        if not _COMMAND_RE.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": str(e["command"]), "description": str(e["description"])} for e in commands]
