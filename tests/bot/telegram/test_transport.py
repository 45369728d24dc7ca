"""PTB's Bot API calls over the aiohttp transport, against the stand-in over real HTTP."""

from __future__ import annotations

import asyncio
import inspect
import socket
import threading
from collections.abc import AsyncIterator, Iterator

import pytest
import telegram
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.settings import Settings
from bot.telegram.application import build_application
from bot.telegram.transport import TESTED_PTB, AiohttpRequest
from tests.telegram_standin import StandinServer

USER = 42


@pytest.fixture
def server() -> Iterator[StandinServer]:
    with StandinServer(token="123456:TEST") as running:
        running.add_user(USER, "Erika")
        yield running


@pytest.fixture
async def bot(server: StandinServer) -> AsyncIterator[Bot]:
    client = Bot(
        server.token,
        base_url=server.base_url,
        request=AiohttpRequest(timeout=1.0),
        get_updates_request=AiohttpRequest(pool_size=1, timeout=1.0),
    )
    async with client:
        yield client


async def test_html_text_and_keyboard_arrive_as_sent(server: StandinServer, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Mehr", callback_data="show:ozg")]])
    text = "<b>OZG</b> &amp; Förderung – „Stand“ 2025 😀"

    message = await bot.send_message(USER, text, parse_mode="HTML", reply_markup=markup)

    [sent] = server.messages_to(USER)
    assert sent.text == text
    assert sent.plain_text == "OZG & Förderung – „Stand“ 2025 😀"
    assert sent.callback_data == ["show:ozg"]
    assert message.message_id == sent.message_id
    assert message.reply_markup == markup


async def test_a_document_is_uploaded_as_multipart(server: StandinServer, bot: Bot) -> None:
    content = b'{"user": 42, "text": "\xc3\xa4"}'

    await bot.send_document(
        USER, InputFile(content, filename="meine-daten.json"), caption="<i>Ihre Daten</i>",
        parse_mode="HTML",
    )  # fmt: skip

    [sent] = server.messages_to(USER)
    assert (sent.filename, sent.content, sent.plain_text) == (
        "meine-daten.json",
        content,
        "Ihre Daten",
    )


async def test_long_polling_waits_longer_than_the_read_timeout(
    server: StandinServer, bot: Bot
) -> None:
    timer = threading.Timer(1.5, server.inject_message, (USER, "Hallo"))
    timer.start()
    updates = await bot.get_updates(timeout=5)
    timer.join()

    assert [u.message.text for u in updates if u.message] == ["Hallo"]


async def test_telegram_errors_keep_their_type(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER, "<b>offen", parse_mode="HTML")


async def test_a_slow_server_is_a_timeout(server: StandinServer, bot: Bot) -> None:
    server.latency = 2.0

    with pytest.raises(TimedOut):
        await bot.send_message(USER, "Hallo")


async def test_an_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens here once closed
    request = AiohttpRequest(timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot123456:TEST/getMe")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


async def test_a_request_can_be_reopened_after_shutdown(server: StandinServer) -> None:
    request = AiohttpRequest()
    for _ in range(2):
        await request.initialize()
        result = await request.post(f"{server.base_url}{server.token}/getMe")
        assert isinstance(result, dict)
        assert result["is_bot"] is True
        await request.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):  # PTB wraps the RuntimeError
        await request.post(f"{server.base_url}{server.token}/getMe")


async def test_many_concurrent_calls_share_the_pool(server: StandinServer, bot: Bot) -> None:
    server.rate_limit = None  # Telegram's flood control is not what is tested here
    await asyncio.gather(*(bot.send_message(USER, f"Nachricht {n}") for n in range(100)))

    assert len(server.messages_to(USER)) == 100


def test_the_application_uses_the_aiohttp_transport(server: StandinServer) -> None:
    settings = Settings(telegram_bot_token=server.token, telegram_api_url=server.base_url)

    application = build_application(settings)

    requests = application.bot._request  # PTB keeps (get_updates_request, request)
    assert all(isinstance(request, AiohttpRequest) for request in requests)


def test_installed_ptb_is_the_range_the_transport_relies_on() -> None:
    """PTB private modules and ``do_request``'s signature are what ``transport.py`` was built on;
    a PTB outside TESTED_PTB fails here first, before a private import breaks at run time."""
    low, high = TESTED_PTB
    assert low <= telegram.__version_info__[:2] < high, telegram.__version__
    from telegram.request import BaseRequest

    expected = inspect.signature(BaseRequest.do_request).parameters
    ours = inspect.signature(AiohttpRequest.do_request).parameters
    assert list(ours) == list(expected)
