"""A local stand-in for the Telegram Bot API, spoken to over real HTTP by the real PTB client.

Usage::

    with StandinServer(token="123456:TEST") as server:        # port 0: a free port
        app = server.application_builder().build()             # or ApplicationBuilder()
        ...                                                    #   .base_url(server.base_url)
        # or a bot subprocess with env={**os.environ, **server.bot_env()}
        server.inject_command(42, "/start")
        call = server.wait_for_message(42, contains="Willkommen")
        server.inject_callback(42, "q:1:a:2")                  # press a button it sent

Inspection: ``sent`` (every call but getUpdates, rejected ones too), ``messages_to(chat)``,
``stats``, ``wait_for(predicate)``, ``wait_for_message(chat, contains)`` (and ``async_``
variants for tests whose event loop runs the bot), ``mark()`` + ``since=``,
``webhook_deliveries``, ``commands()``.  Scripting: ``inject_*``, ``add_user``,
``block_user``, ``rate_limit``, ``fail_next``, ``latency``, ``stop()``/``start()`` (outage),
``advance_clock`` (callback-query expiry);
``inject_fault(kind, seconds, after=...)`` for windows of 5xx (``server_error``), 200 with an
HTML body (``garbage``), held calls (``timeout``) and 429 storms (``rate_storm``), and
``migrate_chat(old, new)`` for 400 with ``migrate_to_chat_id`` (PTB's ``ChatMigrated``).
``fixtures.standin`` is a ready pytest fixture; ``python -m tests.telegram_standin`` is a
manual chat console.

Methods served: getMe, getUpdates (long polling: offset, limit, timeout, allowed_updates;
answers as soon as an update is queued; a newer poll ends an older one with 409),
sendMessage, sendDocument, sendPhoto (multipart uploads or a file_id sent earlier),
editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
setMyCommands, getMyCommands, deleteMyCommands, setWebhook, deleteWebhook, getWebhookInfo,
logOut, close.  Requests may be form-encoded, multipart or JSON; method names are
case-insensitive.  While a webhook is set, queued updates are POSTed to it (with
``X-Telegram-Bot-Api-Secret-Token``) instead of being served by getUpdates (409).

Enforced like Telegram (status and description as Telegram sends them):

* token in the URL must equal the constructor's → 401 "Unauthorized"; unknown method → 404;
* text 1–4096 and caption ≤ 1024 UTF-16 code units, counted after entity parsing and
  trimming → 400 "message is too long" / "message caption is too long" / "message text is empty";
* parse_mode=HTML: only b strong i em u ins s strike del code pre a blockquote tg-spoiler
  span.tg-spoiler tg-emoji, properly nested and closed → 400 "can't parse entities: ...";
* inline buttons: callback_data 1–64 bytes ("BUTTON_DATA_INVALID"), URL buttons http(s)/tg;
* chat_id must belong to a chat that talked to the bot (or :meth:`add_user`) → 400
  "chat not found"; blocked users → 403 "Forbidden: bot was blocked by the user";
* at most ``rate_limit`` accepted sends/edits in any sliding second → 429
  "Too Many Requests: retry after N" with ``parameters.retry_after``;
* edits: "message to edit not found", "message is not modified: ...", "message can't be
  edited", "there is no text in the message to edit"; editMessageText without reply_markup
  removes the inline keyboard (as Telegram does);
* answerCallbackQuery once per injected query, within 15 s of the press ("query is too
  old ... or query ID is invalid"); ``advance_clock(seconds)`` lets that time pass at once;
  its text ≤ 200 UTF-16 units → 400 "MESSAGE_TOO_LONG" (checked first: a refused answer
  leaves the query unanswered);
* sendPhoto uploads must look like an image ("IMAGE_PROCESS_FAILED"); empty files rejected;
* setMyCommands: ≤ 100 commands named ``[a-z0-9_]{1,32}``, descriptions 1–256 chars;
* setWebhook: HTTPS URL required (plain HTTP is allowed for loopback hosts only).

Stricter than Telegram: a bare ``&`` or unknown named entity (``&nbsp;``) in HTML is rejected
(Telegram would show it literally) — pass ``strict_html=False`` for Telegram's leniency.

Not modelled: per-chat (1/s) and per-group (20/min) flood limits (the rate limit counts
sends and edits, not chat actions or callback answers), MarkdownV2 parsing (text is taken
as is), entity-nesting repairs, inline mode, file downloads (getFile), media groups,
payments, message threads, ``reply_to_message``, real image sizes, chat members beyond
the blocked flag, expiry of updates, the 48-hour limit of deleteMessage.  allowed_updates
filters updates when they are handed out (Telegram filters them when they are created).
"""

from .recording import SentCall, SentFile, SentMessage, Stats
from .server import StandinServer
from .webhook import SECRET_HEADER, WebhookDelivery, post_update

__all__ = [
    "SECRET_HEADER",
    "SentCall",
    "SentFile",
    "SentMessage",
    "StandinServer",
    "Stats",
    "WebhookDelivery",
    "post_update",
]
