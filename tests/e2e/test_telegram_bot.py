"""The bot as users meet it: a real ``digilotse run`` process talking HTTP to the stand-in."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import BotProcess
from tests.telegram_standin import SentCall, StandinServer

pytestmark = pytest.mark.e2e


def buttons(call: SentCall) -> list[str]:
    """Callback data of every inline button of a sent message."""
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def message_id(call: SentCall) -> int:
    """The id Telegram gave the sent message."""
    return int(call.result["message_id"])


def test_start_up_sets_the_command_menu(bot_process: BotProcess, standin: StandinServer) -> None:
    calls = [c for c in standin.sent if c.method == "setMyCommands" and c.ok]
    assert calls, "setMyCommands was not called"
    names = {command["command"] for command in calls[-1].params["commands"]}
    assert {"start", "hilfe", "datenschutz", "meinedaten", "loeschen"} <= names
    assert "statistik" not in names  # admin commands stay out of everyone's menu


def test_start_greets_with_the_main_menu(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_command(user_id, "/start")
    reply = standin.wait_for_message(user_id, contains="Digilotse")
    assert buttons(reply) == ["m:ask", "m:check", "m:events", "m:help"]


def test_question_is_answered_with_source_stand_and_buttons(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_message(user_id, "Wie hoch ist der Bildungs-Voucher für Digitallotsen?")
    reply = standin.wait_for_message(user_id, contains="Quelle")
    assert "Stand:" in (reply.text or "")
    data = buttons(reply)
    assert data[-2:] == ["f:digitallotsen-voucher:up", "f:digitallotsen-voucher:down"]
    assert all(len(d.encode()) <= 64 for d in data)


def test_follow_up_button_shows_the_related_entry(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_message(user_id, "Wie hoch ist der Bildungs-Voucher für Digitallotsen?")
    answer = standin.wait_for_message(user_id, contains="Quelle")
    follow_up = next(d for d in buttons(answer) if d.startswith("k:"))
    since = len(standin.sent)
    standin.inject_callback(user_id, follow_up, message_id=message_id(answer))
    standin.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
    second = standin.wait_for_message(user_id, contains="Quelle", since=since)
    assert message_id(second) != message_id(answer)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("k:gibt-es-nicht", id="unknown-entry"),
        pytest.param("zz:1:2", id="unknown-kind"),
        pytest.param("f:ozg-grundlagen:maybe", id="bad-argument"),
    ],
)
def test_forged_button_data_gets_a_polite_refusal(
    bot_process: BotProcess, standin: StandinServer, user_id: int, data: str
) -> None:
    standin.inject_command(user_id, "/start")
    menu = standin.wait_for_message(user_id, contains="Digilotse")
    standin.inject_callback(user_id, data, message_id=message_id(menu), check_button=False)
    answer = standin.wait_for(
        lambda c: c.method == "answerCallbackQuery" and "nicht mehr gültig" in str(c.params)
    )
    assert answer.ok


def test_feedback_vote_is_acknowledged(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_message(user_id, "Was ist das Onlinezugangsgesetz?")
    reply = standin.wait_for_message(user_id, contains="Quelle")
    up = next(d for d in buttons(reply) if d.endswith(":up"))
    standin.inject_callback(user_id, up, message_id=message_id(reply))
    standin.wait_for(lambda c: c.method == "answerCallbackQuery" and "Danke" in str(c.params))


@pytest.mark.parametrize(
    "inject",
    [
        pytest.param(StandinServer.inject_sticker, id="sticker"),
        pytest.param(StandinServer.inject_photo, id="photo"),
        pytest.param(StandinServer.inject_voice, id="voice"),
        pytest.param(StandinServer.inject_document, id="document"),
    ],
)
def test_non_text_messages_get_a_kind_explanation(
    bot_process: BotProcess, standin: StandinServer, user_id: int, inject: object
) -> None:
    inject(standin, user_id)  # type: ignore[operator]
    standin.wait_for_message(user_id, contains="nur Textnachrichten")


def test_edited_message_is_not_reanswered_but_explained(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_message(user_id, "Was ist das OZG?")
    standin.wait_for_message(user_id)
    standin.inject_edited_message(user_id, "Was ist das OZG 2.0?")
    standin.wait_for_message(user_id, contains="Bearbeitete Nachrichten")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<script>alert(1)</script>", id="html"),
        pytest.param("OZG " * 3000, id="10000-characters"),
        pytest.param("\x00\x01\x02 Voucher \x1b[31m", id="control-characters"),
        pytest.param("🙂🙂🙂", id="emoji-only"),
        pytest.param("Как дела?", id="cyrillic"),
    ],
)
def test_bad_input_gets_a_valid_reply(
    bot_process: BotProcess, standin: StandinServer, user_id: int, text: str
) -> None:
    standin.inject_message(user_id, text)
    reply = standin.wait_for_message(user_id)
    assert reply.ok
    assert "<script>" not in (reply.text or "")


def test_group_chat_answers_only_when_addressed(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    group = -(user_id + 5000)
    standin.inject_group_message(user_id, group, "Was ist das OZG?")
    standin.inject_group_message(user_id, group, "Was ist das OZG?", mention_bot=True)
    standin.wait_for_message(group)
    standin.inject_group_message(user_id, group, "/hilfe@some_other_bot")
    mark = standin.mark()
    standin.inject_group_message(user_id, group, "Was ist die BundID?", mention_bot=True)
    # The user's updates run in order: once this one is answered, the unaddressed text and
    # another bot's command before it have been processed, and got no reply.
    standin.wait_for_message(group, contains="BundID", since=mark)
    assert len(standin.messages_to(group)) == 2


def test_my_data_is_sent_as_json_and_deleted_after_confirmation(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_message(user_id, "Was ist die BundID?")
    standin.wait_for_message(user_id, contains="Quelle")
    standin.inject_command(user_id, "/meinedaten")
    standin.wait_for(lambda c: c.method == "sendDocument" and c.chat_id == user_id)
    files = [m.file for m in standin.messages_to(user_id) if m.file is not None]
    exported = json.loads(files[-1].content)
    assert exported["Nutzerkonto"]["Telegram-Nutzer-ID"] == user_id
    assert [q["Frage"] for q in exported["Fragen (pseudonym)"]] == ["Was ist die BundID?"]

    standin.inject_command(user_id, "/loeschen")
    confirm = standin.wait_for_message(user_id, contains="wirklich")
    standin.inject_callback(user_id, "del:yes", message_id=message_id(confirm))
    standin.wait_for(lambda c: c.method == "editMessageText" and "gelöscht" in str(c.params))
    database = bot_process.database_url.split("///", 1)[1]
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT count(*) FROM users WHERE telegram_user_id = ?", (user_id,)
        ).fetchone()
    assert rows == (0,)


def test_admin_commands_refuse_non_admins(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_command(user_id, "/statistik")
    standin.wait_for_message(user_id, contains="Redaktionsteam vorbehalten")


def test_forwarded_admin_command_is_not_run(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    """An admin forwarding someone's ``/ankuendigen`` creates no draft."""
    since = len(standin.sent)
    command = "/ankuendigen Treffen | 2030-05-02 10:00 | Stuttgart | Austausch"
    standin.inject_message(ADMIN_ID, command, forwarded_from=user_id)
    standin.wait_for_message(ADMIN_ID, contains="Weitergeleitete Nachrichten", since=since)
    texts = [call.text or "" for call in standin.sent[since:] if call.chat_id == ADMIN_ID]
    assert not any("Vorschau" in text for text in texts)


def test_admin_sees_statistics_and_gaps(bot_process: BotProcess, standin: StandinServer) -> None:
    standin.inject_message(ADMIN_ID, "Rezept für Apfelkuchen mit Streuseln")
    standin.wait_for_message(ADMIN_ID, contains="keine gesicherte Antwort")
    since = len(standin.sent)
    standin.inject_command(ADMIN_ID, "/statistik")
    standin.wait_for_message(ADMIN_ID, contains="Statistik", since=since)
    standin.inject_command(ADMIN_ID, "/luecken")
    standin.wait_for_message(ADMIN_ID, contains="Apfelkuchen", since=since)


def test_an_abstained_question_accepted_in_luecken_answers_the_next_user_without_a_restart(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    """A question abstains; the admin accepts it into an entry; another user gets that entry."""
    question = "Wo finde ich das Anmeldeblatt?"
    standin.inject_message(user_id, question)
    standin.wait_for_message(user_id, contains="keine gesicherte Antwort")
    since = len(standin.sent)
    standin.inject_command(ADMIN_ID, "/luecken")
    cluster = standin.wait_for_message(ADMIN_ID, contains=question, since=since)
    accept = next(d for d in buttons(cluster) if d.endswith(":digitallotsen-anmeldung"))
    since = len(standin.sent)
    standin.inject_callback(ADMIN_ID, accept, message_id=message_id(cluster))
    standin.wait_for_message(ADMIN_ID, contains="Übernommen", since=since)

    other = user_id + 10_000
    standin.inject_message(other, question)
    answer = standin.wait_for_message(other, contains="Quelle", since=since)
    assert "f:digitallotsen-anmeldung:up" in buttons(answer)


def test_user_who_blocked_the_bot_is_marked_inactive(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_command(user_id, "/start")
    standin.wait_for_message(user_id, contains="Digilotse")
    standin.block_user(user_id)
    standin.inject_message(user_id, "Was ist das OZG?")
    standin.wait_for(lambda c: c.chat_id == user_id and c.status == 403)
    database = bot_process.database_url.split("///", 1)[1]
    for _ in range(100):
        with sqlite3.connect(database) as connection:
            (active,) = connection.execute(
                "SELECT is_active FROM users WHERE telegram_user_id = ?", (user_id,)
            ).fetchone()
        if not active:
            break
        time.sleep(0.05)
    assert active == 0


def test_blocking_and_unblocking_update_the_active_flag(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    standin.inject_command(user_id, "/start")
    standin.wait_for_message(user_id, contains="Digilotse")
    database = bot_process.database_url.split("///", 1)[1]

    def active() -> int:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT is_active FROM users WHERE telegram_user_id = ?", (user_id,)
            ).fetchone()
        return int(row[0])

    for notify, expected in ((standin.block_user, 0), (standin.unblock_user, 1)):
        notify(user_id, notify=True)
        for _ in range(100):
            if active() == expected:
                break
            time.sleep(0.05)
        assert active() == expected
