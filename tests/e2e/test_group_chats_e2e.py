"""Group chats through the real bot: the private chat stays the user's, nothing personal leaks."""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import BotProcess
from tests.telegram_standin import StandinServer

pytestmark = pytest.mark.e2e

LINK = 'href="https://t.me/digilotse_test_bot?start=gruppe"'


def stored_chat_id(bot_process: BotProcess, user_id: int) -> int | None:
    """The chat id the database keeps for the user (None: unknown)."""
    database = bot_process.database_url.split("///", 1)[1]
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT chat_id FROM users WHERE telegram_user_id = ?", (user_id,)
        ).fetchone()
    return None if row is None else int(row[0])


def test_group_command_keeps_the_private_chat_id(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    """/termine@bot in a group is answered there, but broadcasts still go to the private chat."""
    group = -(user_id + 7000)
    standin.inject_command(user_id, "/start")
    standin.wait_for_message(user_id, contains="Digilotse")
    time.sleep(0.2)  # the user row is written before the reply; let the commit land

    standin.inject_group_message(user_id, group, "/termine@digilotse_test_bot")
    standin.wait_for_message(group)

    assert stored_chat_id(bot_process, user_id) == user_id


def test_my_data_in_a_group_sends_a_link_not_the_export(
    bot_process: BotProcess, standin: StandinServer, user_id: int
) -> None:
    """/meinedaten@bot in a group: a note with the deep link, no file in the group."""
    group = -(user_id + 7000)
    standin.inject_group_message(user_id, group, "/meinedaten@digilotse_test_bot")

    note = standin.wait_for_message(group, contains="privaten Chat")

    assert LINK in (note.text or "")
    assert not [c for c in standin.sent if c.method == "sendDocument" and c.chat_id == group]


def test_admin_statistics_in_a_group_stay_private(
    bot_process: BotProcess, standin: StandinServer
) -> None:
    """An editor's /statistik in a group shows no figures there."""
    group = -(ADMIN_ID + 7000)
    standin.inject_group_message(ADMIN_ID, group, "/statistik@digilotse_test_bot")

    note = standin.wait_for_message(group, contains="privaten Chat")

    assert "Statistik" not in (note.text or "")
