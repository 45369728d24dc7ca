"""Bot API methods about the bot itself: getMe, commands, webhook settings."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from .rules import bad_request, check_commands, require
from .state import ApiRequest, BotState, Webhook

JSON = dict[str, Any]

_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def get_me(state: BotState, req: ApiRequest) -> JSON:
    """getMe."""
    return dict(state.bot_user)


def _commands_key(params: JSON) -> str:
    scope = params.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


def set_my_commands(state: BotState, req: ApiRequest) -> bool:
    """setMyCommands (per scope and language_code)."""
    commands = check_commands(require(req.params, "commands"))
    state.commands[_commands_key(req.params)] = commands
    return True


def get_my_commands(state: BotState, req: ApiRequest) -> list[JSON]:
    """getMyCommands."""
    return list(state.commands.get(_commands_key(req.params), []))


def delete_my_commands(state: BotState, req: ApiRequest) -> bool:
    """deleteMyCommands."""
    state.commands.pop(_commands_key(req.params), None)
    return True


def set_webhook(state: BotState, req: ApiRequest) -> bool:
    """setWebhook: HTTPS URLs, or plain HTTP on a loopback host (stand-in relaxation)."""
    url = str(req.params.get("url") or "")
    if not url:
        return delete_webhook(state, req)
    _check_webhook_url(url)
    secret = req.params.get("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    allowed = req.params.get("allowed_updates")
    state.set_allowed_updates(allowed)
    if req.params.get("drop_pending_updates"):
        state.drop_pending()
    max_connections = req.params.get("max_connections", 40)
    state.webhook = Webhook(url, secret, int(max_connections), allowed)
    return True


def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return
    raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")


def delete_webhook(state: BotState, req: ApiRequest) -> bool:
    """deleteWebhook (optionally dropping pending updates)."""
    state.webhook = None
    if req.params.get("drop_pending_updates"):
        state.drop_pending()
    return True


def get_webhook_info(state: BotState, req: ApiRequest) -> JSON:
    """getWebhookInfo."""
    info: JSON = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.pending),
    }
    hook = state.webhook
    if hook is not None:
        info.update(url=hook.url, max_connections=hook.max_connections)
        if hook.allowed_updates is not None:
            info["allowed_updates"] = hook.allowed_updates
        if hook.last_error_date is not None:
            info.update(
                last_error_date=hook.last_error_date, last_error_message=hook.last_error_message
            )
    return info


def log_out(state: BotState, req: ApiRequest) -> bool:
    """logOut / close: accepted and otherwise ignored."""
    return True
