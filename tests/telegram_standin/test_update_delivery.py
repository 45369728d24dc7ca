"""Updates reach the bot: long polling, webhook pushes, PTB applications, subprocesses."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.telegram_standin import StandinServer, post_update
from tests.telegram_standin.conftest import USER, keyboard


class TestGetUpdates:
    async def test_long_poll_returns_as_soon_as_an_update_is_injected(
        self, server: StandinServer, bot: Bot
    ) -> None:
        timer = threading.Timer(0.2, server.inject_command, (USER, "/start abc"))
        timer.start()
        updates = await asyncio.wait_for(bot.get_updates(timeout=30), timeout=10)
        timer.join()

        assert len(updates) == 1
        assert updates[0].message is not None
        assert updates[0].message.text == "/start abc"
        assert updates[0].message.entities[0].type == "bot_command"

    async def test_first_delivery_time_is_noted_per_update(
        self, server: StandinServer, bot: Bot
    ) -> None:
        first = server.inject_message(USER, "eins")
        assert server.delivery_time(first) is None

        await bot.get_updates()
        noted = server.delivery_time(first)
        second = server.inject_message(USER, "zwei")
        await bot.get_updates()  # delivers ``first`` again (not confirmed) and ``second``

        assert noted is not None
        assert server.delivery_time(first) == noted
        second_noted = server.delivery_time(second)
        assert second_noted is not None
        assert second_noted >= noted

    async def test_waiting_poll_is_counted_on_arrival(
        self, server: StandinServer, bot: Bot
    ) -> None:
        poll = asyncio.ensure_future(bot.get_updates(timeout=30))
        async with asyncio.timeout(5):
            while server.stats.get_updates == 0:  # noqa: ASYNC110 - counter of another thread
                await asyncio.sleep(0.01)
        server.inject_message(USER, "jetzt")

        assert len(await asyncio.wait_for(poll, timeout=5)) == 1

    async def test_offset_confirms_earlier_updates(self, server: StandinServer, bot: Bot) -> None:
        ids = [server.inject_message(USER, f"Nachricht {n}") for n in range(3)]

        assert [u.update_id for u in await bot.get_updates()] == ids
        assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
        assert [u.update_id for u in await bot.get_updates()] == ids[1:]
        assert [u.update_id for u in await bot.get_updates(offset=ids[2], limit=1)] == ids[2:]

    async def test_empty_result_after_the_timeout(self, server: StandinServer, bot: Bot) -> None:
        assert await bot.get_updates(timeout=1) == ()
        assert server.stats.get_updates == 1

    async def test_allowed_updates_filters_update_types(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_sticker(USER)
        message_id = server.inject_message(USER, "Text")
        server.inject_edited_message(USER, "Text, korrigiert")

        updates = await bot.get_updates(allowed_updates=["edited_message"])

        assert [u.update_id for u in updates] == [message_id + 1]
        assert updates[0].edited_message is not None
        assert updates[0].edited_message.text == "Text, korrigiert"

    async def test_second_poller_ends_the_first_with_conflict(
        self, bot: Bot, server: StandinServer
    ) -> None:
        first = asyncio.ensure_future(bot.get_updates(timeout=10))
        await asyncio.sleep(0.2)
        async with server.bot() as other_instance:
            second = asyncio.ensure_future(other_instance.get_updates(timeout=0))

            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await asyncio.wait_for(first, timeout=5)
            assert await second == ()

    async def test_get_updates_conflicts_with_a_webhook(self, bot: Bot) -> None:
        await bot.set_webhook("https://bot.example.org/hook")

        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        await bot.delete_webhook()
        assert await bot.get_updates() == ()

    async def test_injected_media_and_membership_updates_parse_in_ptb(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.inject_sticker(USER)
        server.inject_photo(USER, caption="Foto")
        server.inject_voice(USER)
        server.inject_document(USER, "antrag.pdf")
        server.block_user(USER, notify=True)

        sticker, photo, voice, document, member = await bot.get_updates()

        assert sticker.message is not None
        assert sticker.message.sticker is not None
        assert photo.message is not None
        assert photo.message.caption == "Foto"
        assert photo.message.photo[-1].width == 800
        assert voice.message is not None
        assert voice.message.voice is not None
        assert document.message is not None
        assert document.message.document is not None
        assert document.message.document.file_name == "antrag.pdf"
        assert member.my_chat_member is not None
        assert member.my_chat_member.new_chat_member.status == "kicked"

    async def test_group_message_mentions_the_bot(self, server: StandinServer, bot: Bot) -> None:
        server.inject_group_message(USER, -100, "Frage", mention_bot=True)
        [update] = await bot.get_updates()

        assert update.message is not None
        assert update.message.chat.type == "group"
        assert update.message.text == "@digilotse_test_bot Frage"
        await bot.send_message(-100, "Antwort")


async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    assert update.effective_user is not None
    name = update.effective_user.first_name
    await update.message.reply_html(f"<b>Willkommen</b>, {name}!", reply_markup=keyboard("los"))


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Gewählt: {query.data}")


def build_app(server: StandinServer) -> Application:  # type: ignore[type-arg]
    app = server.application_builder().build()
    app.add_handler(CommandHandler("start", greet))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TestWebhookDelivery:
    async def test_failed_delivery_is_retried_and_reported(self, bot: Bot) -> None:
        with StandinServer(token=bot.token, webhook_retry_delay=0.05) as server:
            server.add_user(USER)
            async with server.bot() as client:
                await client.set_webhook(f"http://127.0.0.1:{free_port()}/hook")
                refused = server.inject_message(USER, "Hallo")
                async with asyncio.timeout(5):
                    while len(server.webhook_deliveries) < 2:  # noqa: ASYNC110 - list owned by another thread
                        await asyncio.sleep(0.02)
                info = await client.get_webhook_info()

        assert [d.status for d in server.webhook_deliveries[:2]] == [0, 0]
        assert info.pending_update_count == 1
        assert server.delivery_time(refused) is None
        assert info.last_error_message is not None
        assert info.last_error_message.startswith("Connection failed")

    async def test_https_is_required_except_on_loopback(self, bot: Bot) -> None:
        with pytest.raises(BadRequest, match=r"(?i)an https url must be provided"):
            await bot.set_webhook("http://bot.example.org/hook")


class TestRestart:
    async def test_restarted_standin_serves_the_same_state_on_the_same_port(
        self, server: StandinServer, bot: Bot
    ) -> None:
        await bot.send_message(USER, "vorher")
        base_url = server.base_url
        server.stop()
        server.start()

        after = await bot.send_message(USER, "nachher")

        assert server.base_url == base_url
        assert after.message_id == 2


class TestPtbApplication:
    async def test_polling_application_answers_start_and_button(
        self, server: StandinServer
    ) -> None:
        app = build_app(server)
        async with app:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=5)
            await app.start()
            server.inject_command(USER, "/start", first_name="Erika")
            greeting = await server.async_wait_for_message(USER, contains="Willkommen")
            server.inject_callback(USER, "los")
            choice = await server.async_wait_for_message(USER, contains="Gewählt")
            await app.updater.stop()
            await app.stop()

        assert greeting.plain_text == "Willkommen, Erika!"
        assert choice.method == "editMessageText"
        assert server.messages_to(USER)[0].text == "Gewählt: los"
        assert server.stats.by_method["answerCallbackQuery"] == 1

    async def test_webhook_application_receives_pushed_updates(self, server: StandinServer) -> None:
        port = free_port()
        url = f"http://127.0.0.1:{port}/hook"
        app = build_app(server)
        async with app:
            assert app.updater is not None
            await app.updater.start_webhook(
                listen="127.0.0.1",
                port=port,
                url_path="hook",
                webhook_url=url,
                secret_token="geheim",
            )
            await app.start()
            pushed = server.inject_command(USER, "/start")
            greeting = await server.async_wait_for_message(USER, contains="Willkommen")
            forged = await asyncio.to_thread(
                post_update, url, {"update_id": 999}, secret_token="falsch"
            )
            await app.updater.stop()
            await app.stop()

        assert greeting.ok
        assert server.webhook_url == url
        assert [d.status for d in server.webhook_deliveries] == [200]
        assert server.delivery_time(pushed) == server.webhook_deliveries[0].timestamp
        assert forged.status_code == 403


class TestSubprocess:
    def test_bot_in_another_process_talks_to_the_standin(self, server: StandinServer) -> None:
        env = {**os.environ, **server.bot_env()}
        module = "tests.telegram_standin.echo_bot"
        repo_root = Path(__file__).resolve().parents[2]
        bot_process = subprocess.Popen([sys.executable, "-m", module], env=env, cwd=repo_root)
        try:
            server.inject_command(USER, "/start")
            server.wait_for_message(USER, contains="Unterprozess", timeout=30)
            server.inject_message(USER, "a < b & c")
            echo = server.wait_for_message(USER, contains="Echo")
        finally:
            bot_process.send_signal(signal.SIGINT)
            exit_code = bot_process.wait(timeout=30)

        assert echo.plain_text == "Echo: a < b & c"
        assert exit_code == 0
