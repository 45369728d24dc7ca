"""The whole Digitalisierungs-Check through the Telegram stand-in, with a kill -9 half-way."""

from __future__ import annotations

import asyncio
import time

from storage import Database
from storage.check.repository import CheckRepository
from tests.e2e.harness import BotProcess
from tests.telegram_standin import SentMessage, StandinServer

USER = 31_337
KILL_AFTER = 15


def _button(standin: StandinServer, label: str) -> tuple[int, str]:
    for message in reversed(standin.messages_to(USER)):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        for button in (b for row in rows for b in row):
            if button["text"].endswith(label):
                return message.message_id, button["callback_data"]
    raise AssertionError(f"no button {label!r}")


def _press(standin: StandinServer, label: str, expect: str) -> None:
    message_id, data = _button(standin, label)
    since = standin.mark()
    standin.inject_callback(USER, data, message_id=message_id)
    standin.wait_for_message(USER, contains=expect, since=since, timeout=20)


def _say(standin: StandinServer, text: str, expect: str) -> None:
    since = standin.mark()
    standin.inject_message(USER, text)
    standin.wait_for_message(USER, contains=expect, since=since, timeout=20)


def _answers(url: str) -> dict[str, int | None]:
    async def read() -> dict[str, int | None]:
        database = Database(url)
        try:
            async with database.session() as session:
                repository = CheckRepository(session)
                open_session = await repository.unfinished(USER)
                assert open_session is not None
                return await repository.answers(open_session.id)
        finally:
            await database.dispose()

    return asyncio.run(read())


def _files(standin: StandinServer) -> list[SentMessage]:
    return [m for m in standin.messages_to(USER) if m.file is not None]


def test_full_check_survives_kill_9_and_resumes_at_next_question(
    standin: StandinServer, bot_process: BotProcess
) -> None:
    started = time.monotonic()
    _say(standin, "/check", "Wie heißt Ihre Kommune")
    _say(standin, "Musterhausen", "Angaben zur Kommune")
    for label, expect in (
        ("3.000 – 9.999", "Gemeindeverwaltungsverband"),
        ("Ja", "Rolle"),
        ("IT", "Personal"),
        ("unter 0,5", "Frage 1 von 30"),
    ):
        _press(standin, label, expect)
    for number in range(1, KILL_AFTER + 1):
        _press(standin, "C", f"Frage {number + 1} von 30")
    bot_process.kill()
    assert len(_answers(bot_process.database_url)) == KILL_AFTER
    bot_process.restart()
    _say(standin, "/weiter", f"Frage {KILL_AFTER + 1} von 30")
    for number in range(KILL_AFTER + 1, 31):
        _press(standin, "C", "Wählen Sie bis zu" if number == 30 else f"Frage {number + 1} von 30")
    _press(standin, "Mobilität & Verkehr", "Wählen Sie bis zu")
    _press(standin, "Fertig", "Welche Stufe")
    _press(standin, "Stufe 3 – Etabliert", "ein anderes Ziel setzen")
    _press(standin, "Nein, alle gleich", "Ergebnis")
    deadline = time.monotonic() + 20
    while len(_files(standin)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    methods = sorted(m.method for m in _files(standin))
    assert methods == ["sendDocument", "sendDocument", "sendPhoto"]  # chart, PDF, HTML
    print(
        f"\ncheck e2e: 30 questions with kill -9 and restart in {time.monotonic() - started:.1f} s"
    )
