"""Bot API methods that create, change or remove messages (and answer callback queries)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import updates
from .html_check import ParsedText
from .recording import SentFile, SentMessage
from .rules import bad_request as _bad
from .rules import (
    check_callback_answer,
    check_caption,
    check_reply_markup,
    check_text,
    optional_int,
    require,
)
from .state import ApiRequest, BotState, StoredMessage, Upload, monotonic

JSON = dict[str, Any]

CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice"}
    | {"upload_document", "choose_sticker", "find_location", "record_video_note"}
    | {"upload_video_note"}
)
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def send_message(state: BotState, req: ApiRequest) -> JSON:
    """sendMessage."""
    chat = state.resolve_chat(require(req.params, "chat_id"))
    parsed = check_text(req.params, strict=state.strict_html)
    markup = check_reply_markup(req.params.get("reply_markup"))
    state.limiter.check(monotonic())
    return _deliver(state, chat, req, _text_fields("text", parsed), markup, None)


def send_document(state: BotState, req: ApiRequest) -> JSON:
    """sendDocument (multipart upload or a known file_id)."""
    return _send_file(state, req, "document")


def send_photo(state: BotState, req: ApiRequest) -> JSON:
    """sendPhoto (multipart upload of JPEG/PNG/GIF/WebP/BMP or a known file_id)."""
    return _send_file(state, req, "photo")


def _send_file(state: BotState, req: ApiRequest, field: str) -> JSON:
    chat = state.resolve_chat(require(req.params, "chat_id"))
    caption = check_caption(req.params, strict=state.strict_html)
    markup = check_reply_markup(req.params.get("reply_markup"))
    source = _input_file(state, req, field)
    state.limiter.check(monotonic())
    sent = source if isinstance(source, SentFile) else state.store_file(*_fields(source))
    fields = _text_fields("caption", caption) if caption else {}
    fields[field] = _photo_sizes(sent) if field == "photo" else _document(sent)
    return _deliver(state, chat, req, fields, markup, sent)


def _fields(upload: Upload) -> tuple[str, bytes, str]:
    return upload.filename, upload.content, upload.mime_type


def _input_file(state: BotState, req: ApiRequest, field: str) -> SentFile | Upload:
    """The uploaded part for ``field`` (checked) or the earlier file its file_id names."""
    value = req.params.get(field)
    upload = req.files.get(field)
    if upload is None and isinstance(value, str) and value.startswith("attach://"):
        upload = req.files.get(value.removeprefix("attach://"))
    if upload is not None:
        if not upload.content:
            raise _bad("file must be non-empty")
        if field == "photo" and not _is_image(upload.content):
            raise _bad("IMAGE_PROCESS_FAILED")
        return upload
    if value is None or value == "":
        raise _bad(f"there is no {field} in the request")
    if isinstance(value, str) and value in state.files:
        return state.files[value]
    raise _bad("wrong file identifier/HTTP URL specified")


def _is_image(content: bytes) -> bool:
    webp = content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    return webp or content.startswith(_IMAGE_MAGIC)


def _document(sent: SentFile) -> JSON:
    return {
        "file_id": sent.file_id,
        "file_unique_id": sent.file_unique_id,
        "file_name": sent.filename,
        "mime_type": sent.mime_type,
        "file_size": len(sent.content),
    }


def _photo_sizes(sent: SentFile) -> list[JSON]:
    """Telegram returns several sizes; the stand-in returns one (it does not decode images)."""
    ids = {"file_id": sent.file_id, "file_unique_id": sent.file_unique_id}
    return [{**ids, "width": 800, "height": 600, "file_size": len(sent.content)}]


def _text_fields(name: str, parsed: ParsedText) -> JSON:
    fields: JSON = {name: parsed.text}
    if parsed.entities:
        fields["entities" if name == "text" else "caption_entities"] = parsed.entities
    return fields


def _deliver(
    state: BotState,
    chat: JSON,
    req: ApiRequest,
    fields: JSON,
    markup: JSON | None,
    sent_file: SentFile | None,
) -> JSON:
    """Create the bot's message, store it and return its Telegram JSON."""
    message_id = state.next_message_id(chat["id"])
    if markup and "inline_keyboard" in markup:
        fields["reply_markup"] = markup
    payload = updates.message(message_id, chat, state.bot_user, **fields)
    raw = req.params.get("text", req.params.get("caption"))
    record = SentMessage(
        chat_id=chat["id"],
        message_id=message_id,
        method=req.method,
        text=raw if isinstance(raw, str) else None,
        plain_text=fields.get("text", fields.get("caption")),
        parse_mode=req.params.get("parse_mode"),
        reply_markup=markup,
        file=sent_file,
    )
    state.store(payload, record)
    return payload


def edit_message_text(state: BotState, req: ApiRequest) -> JSON:
    """editMessageText (chat_id + message_id; inline messages are not supported)."""
    stored = _editable(state, req)
    if "text" not in stored.payload:
        raise _bad("there is no text in the message to edit")
    parsed = check_text(req.params, strict=state.strict_html)
    markup = check_reply_markup(req.params.get("reply_markup"))
    changes: JSON = {"text": parsed.text, "entities": parsed.entities or None}
    return _apply_edit(state, stored, req, changes, markup)


def edit_message_reply_markup(state: BotState, req: ApiRequest) -> JSON:
    """editMessageReplyMarkup; no reply_markup removes the keyboard."""
    stored = _editable(state, req)
    markup = check_reply_markup(req.params.get("reply_markup"))
    return _apply_edit(state, stored, req, {}, markup)


def _editable(state: BotState, req: ApiRequest) -> StoredMessage:
    if "inline_message_id" in req.params:
        raise _bad("inline messages are not supported by the stand-in")
    chat = state.resolve_chat(require(req.params, "chat_id"))
    message_id = optional_int(req.params, "message_id", 0)
    if not message_id:
        raise _bad("message identifier is not specified")
    return state.bot_message(chat["id"], message_id)


def _apply_edit(
    state: BotState, stored: StoredMessage, req: ApiRequest, changes: JSON, markup: JSON | None
) -> JSON:
    if markup is not None and "inline_keyboard" not in markup:
        raise _bad("inline keyboard expected")
    old = stored.payload
    new = {**old, **changes, "reply_markup": markup}
    new = {key: value for key, value in new.items() if value is not None}
    if _content(new) == _content(old):
        raise _bad(_NOT_MODIFIED)
    state.limiter.check(monotonic())
    new["edit_date"] = updates.now()
    assert stored.sent is not None
    record = replace(stored.sent, reply_markup=markup, edited=True)
    if "text" in changes:
        plain = changes["text"]
        record = replace(record, text=req.params["text"], plain_text=plain)
        record = replace(record, parse_mode=req.params.get("parse_mode"))
    state.store(new, record)
    return new


def _content(payload: JSON) -> tuple[Any, ...]:
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    return tuple(payload.get(key) for key in keys)


def delete_message(state: BotState, req: ApiRequest) -> bool:
    """deleteMessage: the bot's own messages and (as Telegram allows in private chats) users'."""
    chat = state.resolve_chat(require(req.params, "chat_id"))
    message_id = optional_int(req.params, "message_id", 0)
    stored = state.messages.get((chat["id"], message_id))
    if stored is not None and stored.sent is None:
        del state.messages[(chat["id"], message_id)]
        return True
    state.mark_deleted(state.bot_message(chat["id"], message_id, "delete"))
    return True


def answer_callback_query(state: BotState, req: ApiRequest) -> bool:
    """answerCallbackQuery: text ≤ 200, each injected query once, within 15 s of the press."""
    check_callback_answer(req.params)
    state.answer_query(str(require(req.params, "callback_query_id")))
    return True


def send_chat_action(state: BotState, req: ApiRequest) -> bool:
    """sendChatAction."""
    state.resolve_chat(require(req.params, "chat_id"))
    if req.params.get("action") not in CHAT_ACTIONS:
        raise _bad("wrong parameter action in request")
    return True
