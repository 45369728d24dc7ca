"""The stand-in enforces Telegram's rules, as seen through PTB's own ``telegram.Bot``."""

from __future__ import annotations

import datetime as dtm
import threading

import httpx
import pytest
from telegram import Bot, BotCommand
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from tests.telegram_standin import StandinServer
from tests.telegram_standin.client import make_bot
from tests.telegram_standin.conftest import USER, keyboard

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


class TestSending:
    async def test_valid_html_message_is_accepted_and_recorded(
        self, server: StandinServer, bot: Bot
    ) -> None:
        message = await bot.send_message(
            USER, "<b>Hallo</b> &amp; willkommen", parse_mode="HTML", reply_markup=keyboard("y")
        )

        assert message.text == "Hallo & willkommen"
        assert message.from_user is not None
        assert message.from_user.is_bot
        assert message.reply_markup == keyboard("y")
        call = server.sent[-1]
        assert (call.method, call.chat_id, call.status) == ("sendMessage", USER, 200)
        assert call.params["reply_markup"] == keyboard("y").to_dict()
        [sent] = server.messages_to(USER)
        assert (sent.message_id, sent.plain_text, sent.callback_data) == (
            message.message_id,
            "Hallo & willkommen",
            ["y"],
        )

    async def test_listeners_see_every_recorded_call_rejected_ones_included(
        self, server: StandinServer, bot: Bot
    ) -> None:
        seen: list[tuple[str, int]] = []
        server.listen(lambda call: seen.append((call.method, call.status)))

        await bot.send_message(USER, "a")
        with pytest.raises(BadRequest):
            await bot.send_message(USER, "<b>kaputt", parse_mode="HTML")

        assert seen == [("sendMessage", 200), ("sendMessage", 400)]

    async def test_message_ids_increase_per_chat(self, server: StandinServer, bot: Bot) -> None:
        server.add_user(7)
        first = await bot.send_message(USER, "a")
        second = await bot.send_message(USER, "b")
        other = await bot.send_message(7, "c")

        assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)

    @pytest.mark.parametrize(
        ("text", "parse_mode"),
        [
            pytest.param("a" * 4097, None, id="4097-chars"),
            pytest.param("😀" * 2049, None, id="4098-utf16-units"),
            pytest.param("<b>" + "a" * 4097 + "</b>", "HTML", id="4097-after-parsing"),
        ],
    )
    async def test_over_long_text_is_bad_request(
        self, bot: Bot, text: str, parse_mode: str | None
    ) -> None:
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(USER, text, parse_mode=parse_mode)

    async def test_text_of_4096_units_after_parsing_is_accepted(self, bot: Bot) -> None:
        message = await bot.send_message(USER, "<b>" + "😀" * 2048 + "</b>", parse_mode="HTML")

        assert message.text is not None
        assert len(message.text) == 2048

    async def test_whitespace_only_text_is_bad_request(self, bot: Bot) -> None:
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(USER, "<b> </b>\n", parse_mode="HTML")

    @pytest.mark.parametrize(
        "data",
        [
            pytest.param("x" * 65, id="65-ascii-bytes"),
            pytest.param("ü" * 33, id="66-utf8-bytes"),
        ],
    )
    async def test_callback_data_over_64_bytes_is_bad_request(self, bot: Bot, data: str) -> None:
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(USER, "Frage", reply_markup=keyboard(data))

    async def test_callback_data_of_64_bytes_is_accepted(self, bot: Bot) -> None:
        await bot.send_message(USER, "Frage", reply_markup=keyboard("ü" * 32))

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("<b>fett", id="unclosed"),
            pytest.param("<b><i>x</b></i>", id="crossed"),
            pytest.param("Zeile<br>Zeile", id="unsupported-tag"),
            pytest.param("Kosten < 5 €", id="unescaped-less-than"),
            pytest.param("Bund & Land", id="unescaped-ampersand"),
        ],
    )
    async def test_broken_html_is_bad_request(
        self, server: StandinServer, bot: Bot, text: str
    ) -> None:
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(USER, text, parse_mode="HTML")

        assert server.sent[-1].status == 400
        assert server.messages_to(USER) == []

    async def test_unknown_chat_is_bad_request(self, bot: Bot) -> None:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(999, "Hallo")

    async def test_blocked_user_is_forbidden_until_unblocked(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.block_user(USER)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(USER, "Hallo")

        server.unblock_user(USER)
        await bot.send_message(USER, "Hallo")
        assert (server.stats.forbidden, server.stats.accepted) == (1, 2)  # getMe + send

    async def test_wrong_token_is_unauthorized(self, server: StandinServer) -> None:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            async with make_bot("999:WRONG", server.base_url):
                pass

    async def test_rate_limit_answers_retry_after(
        self, server: StandinServer, bot: Bot, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PTB_TIMEDELTA", "1")
        server.rate_limit = 5
        for n in range(5):
            await bot.send_message(USER, f"Nachricht {n}")

        with pytest.raises(RetryAfter) as error:
            await bot.send_message(USER, "eine zu viel")

        assert error.value.retry_after == dtm.timedelta(seconds=1)
        assert server.stats.too_many_requests == 1

    def test_rate_limited_response_has_telegram_shape(
        self, server: StandinServer, http: httpx.Client
    ) -> None:
        server.rate_limit = 1
        url = f"{server.base_url}{server.token}/sendMessage"
        responses = [http.post(url, json={"chat_id": USER, "text": "x"}) for _ in range(2)]

        assert [r.status_code for r in responses] == [200, 429]
        assert responses[1].json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }


class TestEditing:
    async def test_edit_text_and_markup_change_the_recorded_message(
        self, server: StandinServer, bot: Bot
    ) -> None:
        sent = await bot.send_message(USER, "Frage 1", reply_markup=keyboard("a", "b"))
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard("c"))
        edited = await bot.edit_message_text(
            "<i>Frage 2</i>", USER, sent.message_id, parse_mode="HTML"
        )

        assert isinstance(edited, type(sent))
        assert edited.text == "Frage 2"
        assert edited.reply_markup is None  # editMessageText without markup drops the keyboard
        [record] = server.messages_to(USER)
        assert (record.text, record.edited, record.reply_markup) == ("<i>Frage 2</i>", True, None)

    async def test_unchanged_edit_is_bad_request(self, bot: Bot) -> None:
        sent = await bot.send_message(USER, "gleich", reply_markup=keyboard("a"))

        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("gleich", USER, sent.message_id, reply_markup=keyboard("a"))

    async def test_unchanged_markup_edit_is_bad_request(self, bot: Bot) -> None:
        """editMessageReplyMarkup with the keyboard the message already has is "not modified"."""
        sent = await bot.send_message(USER, "gleich", reply_markup=keyboard("a"))

        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard("a"))

    async def test_editing_unknown_message_is_bad_request(self, bot: Bot) -> None:
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("neu", USER, 77)

    async def test_deleted_message_cannot_be_edited(self, server: StandinServer, bot: Bot) -> None:
        sent = await bot.send_message(USER, "weg")
        assert await bot.delete_message(USER, sent.message_id)

        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("neu", USER, sent.message_id)
        assert server.messages_to(USER)[0].deleted


class TestCallbacksAndFiles:
    async def test_callback_query_is_answered_once(self, server: StandinServer, bot: Bot) -> None:
        sent = await bot.send_message(USER, "Frage", reply_markup=keyboard("ja", "nein"))
        server.inject_callback(USER, "nein")
        [update] = await bot.get_updates(timeout=5)
        query = update.callback_query

        assert query is not None
        assert query.message is not None
        assert (query.data, query.message.message_id) == ("nein", sent.message_id)
        assert await bot.answer_callback_query(query.id)
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(query.id)

    async def test_callback_answered_after_15_seconds_is_too_old(
        self, server: StandinServer, bot: Bot
    ) -> None:
        """An answer more than 15 s after the press is refused, as Telegram refuses it."""
        await bot.send_message(USER, "Frage", reply_markup=keyboard("ja"))
        server.inject_callback(USER, "ja")
        [update] = await bot.get_updates(timeout=5)
        assert update.callback_query is not None
        server.advance_clock(15.5)

        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(update.callback_query.id)

    async def test_callback_answered_within_15_seconds_is_accepted(
        self, server: StandinServer, bot: Bot
    ) -> None:
        """An answer 14 s after the press still counts."""
        await bot.send_message(USER, "Frage", reply_markup=keyboard("ja"))
        server.inject_callback(USER, "ja")
        [update] = await bot.get_updates(timeout=5)
        assert update.callback_query is not None
        server.advance_clock(14.0)

        assert await bot.answer_callback_query(update.callback_query.id)

    async def test_callback_answer_over_200_characters_is_too_long_and_leaves_it_open(
        self, server: StandinServer, bot: Bot
    ) -> None:
        """201 characters are refused like Telegram does; 200 then still answer the query."""
        await bot.send_message(USER, "Frage", reply_markup=keyboard("ja"))
        server.inject_callback(USER, "ja")
        [update] = await bot.get_updates(timeout=5)
        assert update.callback_query is not None

        with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
            await bot.answer_callback_query(update.callback_query.id, "ä" * 201)
        assert await bot.answer_callback_query(update.callback_query.id, "ä" * 200)

    async def test_callback_must_match_an_offered_button(
        self, bot: Bot, server: StandinServer
    ) -> None:
        await bot.send_message(USER, "Frage", reply_markup=keyboard("ja"))

        with pytest.raises(ValueError, match="offers 'vielleicht'"):
            server.inject_callback(USER, "vielleicht")
        server.inject_callback(USER, "vielleicht", check_button=False)

    async def test_document_upload_is_recorded_and_reusable_by_file_id(
        self, server: StandinServer, bot: Bot
    ) -> None:
        message = await bot.send_document(
            USER,
            b"%PDF-1.4 Bericht",
            filename="Prüfbericht.pdf",
            caption="<b>Ihr</b> Bericht",
            parse_mode="HTML",
        )
        assert message.document is not None
        again = await bot.send_document(USER, message.document.file_id)

        assert (message.caption, message.document.file_name) == ("Ihr Bericht", "Prüfbericht.pdf")
        assert again.document is not None
        assert again.document.file_unique_id == message.document.file_unique_id
        first = server.messages_to(USER)[0]
        assert (first.filename, first.content, first.text) == (
            "Prüfbericht.pdf",
            b"%PDF-1.4 Bericht",
            "<b>Ihr</b> Bericht",
        )

    async def test_caption_over_1024_is_bad_request(self, bot: Bot) -> None:
        with pytest.raises(BadRequest, match="Message caption is too long"):
            await bot.send_document(USER, b"x", filename="a.txt", caption="a" * 1025)

    async def test_photo_must_be_an_image(self, server: StandinServer, bot: Bot) -> None:
        message = await bot.send_photo(USER, PNG, filename="chart.png")

        assert message.photo[0].file_size == len(PNG)
        with pytest.raises(BadRequest, match="Image_process_failed"):
            await bot.send_photo(USER, b"kein bild", filename="chart.png")

    async def test_commands_are_stored_and_validated(self, server: StandinServer, bot: Bot) -> None:
        await bot.set_my_commands([BotCommand("start", "Beginnen"), BotCommand("hilfe", "Hilfe")])

        assert [c.command for c in await bot.get_my_commands()] == ["start", "hilfe"]
        assert server.commands()[0] == {"command": "start", "description": "Beginnen"}
        with pytest.raises(BadRequest, match="Bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Start!", "x")])

    async def test_chat_action_is_accepted_for_known_chats(self, bot: Bot) -> None:
        assert await bot.send_chat_action(USER, "typing")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_chat_action(5, "typing")


class TestRawHttp:
    def test_json_bodies_and_any_method_case_are_accepted(
        self, server: StandinServer, http: httpx.Client
    ) -> None:
        url = f"{server.base_url}{server.token}/SENDMESSAGE"
        body = {"chat_id": USER, "text": "Hallo", "reply_markup": {"inline_keyboard": [[]]}}

        response = http.post(url, json=body)

        assert response.json()["result"]["text"] == "Hallo"
        assert server.sent[-1].method == "sendMessage"

    def test_unknown_method_is_not_found(self, server: StandinServer, http: httpx.Client) -> None:
        response = http.post(f"{server.base_url}{server.token}/sendRocket")

        assert response.status_code == 404
        assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


class TestRecording:
    def test_wait_for_timeout_lists_what_was_sent(
        self, server: StandinServer, http: httpx.Client
    ) -> None:
        http.post(
            f"{server.base_url}{server.token}/sendMessage", data={"chat_id": USER, "text": "Hallo"}
        )

        with pytest.raises(TimeoutError, match="sendMessage chat=42 -> 200 'Hallo'"):
            server.wait_for_message(USER, contains="Tschüss", timeout=0.2)

    def test_wait_for_since_skips_earlier_calls(
        self, server: StandinServer, http: httpx.Client
    ) -> None:
        url = f"{server.base_url}{server.token}/sendMessage"
        http.post(url, data={"chat_id": USER, "text": "eins"})
        mark = server.mark()
        later = threading.Timer(0.1, http.post, (url,), {"data": {"chat_id": USER, "text": "zwei"}})
        later.start()
        call = server.wait_for_message(USER, since=mark)
        later.join()

        assert call.text == "zwei"

    async def test_scripted_fault_answers_the_next_call(
        self, server: StandinServer, bot: Bot
    ) -> None:
        server.fail_next("sendMessage", 400, "Bad Request: scripted")

        with pytest.raises(BadRequest, match="Scripted"):
            await bot.send_message(USER, "a")
        await bot.send_message(USER, "b")
