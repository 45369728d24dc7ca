"""Scripted outages look to PTB exactly like Telegram's (or a proxy's) failures."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot
from telegram.error import ChatMigrated, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from tests.telegram_standin import StandinServer
from tests.telegram_standin.conftest import USER


class TestFaultWindows:
    async def test_server_error_window_raises_network_error_and_sends_nothing(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_fault("server_error", 5, status=503)

        with pytest.raises(NetworkError, match="Service Unavailable"):
            await bot.send_message(USER, "a")
        assert server.messages_to(USER) == []
        assert server.sent[-1].status == 503

    async def test_calls_succeed_again_when_the_window_ends(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_fault("server_error", 0.3)
        with pytest.raises(NetworkError):
            await bot.send_message(USER, "a")
        await asyncio.sleep(0.35)

        await bot.send_message(USER, "b")
        assert [m.text for m in server.messages_to(USER)] == ["b"]
        assert not server.faults_pending()

    async def test_window_starts_after_the_given_delay(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_fault("server_error", 5, after=0.3)
        await bot.send_message(USER, "vorher")
        await asyncio.sleep(0.35)

        with pytest.raises(NetworkError):
            await bot.send_message(USER, "danach")
        assert server.faults_pending()

    async def test_garbage_200_is_an_invalid_server_response(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_fault("garbage", 5)

        with pytest.raises(TelegramError, match="Invalid server response"):
            await bot.send_message(USER, "a")
        assert server.messages_to(USER) == []

    async def test_rate_storm_answers_429_with_retry_after(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_fault("rate_storm", 5, retry_after=7)

        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER, "a")
        assert caught.value._retry_after.total_seconds() == 7
        assert server.stats.too_many_requests == 1

    async def test_timeout_holds_the_call_until_the_client_gives_up(
        self, server: StandinServer
    ) -> None:
        server.inject_fault("timeout", 5, hold=3, methods=frozenset({"sendMessage"}))
        request = HTTPXRequest(read_timeout=0.3, httpx_kwargs={"verify": False})
        started = time.monotonic()
        async with Bot(server.token, base_url=server.base_url, request=request) as bot:
            with pytest.raises(TimedOut):
                await bot.send_message(USER, "a")
        assert time.monotonic() - started < 2
        assert server.messages_to(USER) == []

    def test_get_updates_is_spared_unless_named(
        self, server: StandinServer, http: httpx.Client
    ) -> None:
        server.inject_fault("server_error", 5)
        url = f"{server.base_url}{server.token}/getUpdates"

        assert http.post(url).status_code == 200
        server.inject_fault("server_error", 5, methods=frozenset({"getUpdates"}))
        assert http.post(url).status_code == 502


class TestChatMigration:
    async def test_send_to_migrated_chat_raises_chat_migrated_with_new_id(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.migrate_chat(USER, -100_777)

        with pytest.raises(ChatMigrated) as caught:
            await bot.send_message(USER, "a")
        assert caught.value.new_chat_id == -100_777
        await bot.send_message(-100_777, "b")
        assert [m.text for m in server.messages_to(-100_777)] == ["b"]
