"""Sending a turn through the stand-in: edits that change nothing or whose message is gone."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot

from bot.dialogue.types import Reply, Turn
from bot.telegram.sending import send_turn
from bot.telegram.transport import AiohttpRequest
from tests.telegram_standin import StandinServer

USER = 42


@pytest.fixture
def server() -> Iterator[StandinServer]:
    with StandinServer(token="123456:TEST") as running:
        running.add_user(USER, "Erika")
        yield running


@pytest.fixture
async def bot(server: StandinServer) -> AsyncIterator[Bot]:
    async with Bot(server.token, base_url=server.base_url, request=AiohttpRequest()) as client:
        yield client


def edit_turn(html: str) -> Turn:
    """A turn that replaces the pressed message."""
    return Turn(replies=(Reply(html, edit=True),))


async def test_identical_edit_counts_as_sent(server: StandinServer, bot: Bot) -> None:
    """A double tap repeats the edit; Telegram's "message is not modified" is not an error."""
    pressed = await bot.send_message(USER, "Frage")
    await send_turn(bot, USER, edit_turn("Erledigt"), pressed)

    await send_turn(bot, USER, edit_turn("Erledigt"), pressed)

    [message] = server.messages_to(USER)
    assert message.plain_text == "Erledigt"
    assert "not modified" in (server.sent[-1].error or "")


async def test_edit_of_a_deleted_message_sends_a_new_one(server: StandinServer, bot: Bot) -> None:
    """When the pressed message is gone, the reply arrives as a new message."""
    pressed = await bot.send_message(USER, "Frage")
    await bot.delete_message(USER, pressed.message_id)

    await send_turn(bot, USER, edit_turn("Erledigt"), pressed)

    live = [m for m in server.messages_to(USER) if not m.deleted]
    assert [(m.method, m.plain_text) for m in live] == [("sendMessage", "Erledigt")]
