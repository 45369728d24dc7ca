"""Button presses as Telegram delivers them: twice in a row, or late after a backlog."""

from __future__ import annotations

import time

import pytest

from tests.e2e.harness import BotProcess
from tests.telegram_standin import SentCall, StandinServer

pytestmark = pytest.mark.e2e

ERROR_TEXT = "schiefgegangen"


def message_id(call: SentCall) -> int:
    """The id Telegram gave the sent message."""
    return int(call.result["message_id"])


def errors_to(standin: StandinServer, chat_id: int) -> list[SentCall]:
    """The generic error messages the bot sent to a chat."""
    return [
        c
        for c in standin.sent
        if c.method == "sendMessage" and c.chat_id == chat_id and ERROR_TEXT in str(c.params)
    ]


def test_double_tap_on_cancel_is_not_an_error(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    """The second identical edit ("message is not modified") counts as done."""
    standin.inject_command(user_id, "/loeschen")
    confirm = standin.wait_for_message(user_id, contains="wirklich")
    for _ in range(2):
        since = standin.mark()
        standin.inject_callback(
            user_id, "del:no", message_id=message_id(confirm), check_button=False
        )
        standin.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
    not_modified = standin.wait_for(
        lambda c: c.method == "editMessageText" and "not modified" in (c.error or "")
    )
    assert not_modified.chat_id == user_id
    time.sleep(0.3)  # an error message would follow the refused edit at once
    assert errors_to(standin, user_id) == []


def test_late_button_press_still_gets_its_reply(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    """A press processed 20 s late cannot be answered, but its reply is sent anyway."""
    standin.inject_command(user_id, "/loeschen")
    confirm = standin.wait_for_message(user_id, contains="wirklich")
    since = standin.mark()
    standin.inject_callback(user_id, "del:no", message_id=message_id(confirm), pressed_ago=20.0)
    standin.wait_for_message(user_id, contains="nichts gelöscht", since=since)
    answers = [c for c in standin.sent[since:] if c.method == "answerCallbackQuery"]
    assert [c.status for c in answers] == [400]
    assert errors_to(standin, user_id) == []
