"""The Digitalisierungs-Check through the real engine on SQLite: dialogue and faults."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.dialogue.engine import Engine
from bot.stores.bundle import Stores
from storage import Database
from storage.check.records import CheckResultRecord
from storage.check.repository import CheckRepository
from tests.bot.check_driver import OTHER, USER, Driver, answer_all, start, text


@pytest.fixture
async def driver(engine: Engine, stores: Stores) -> Driver:
    await stores.users.touch_user(USER, USER)
    return Driver(engine, USER)


async def results(database: Database) -> list[CheckResultRecord]:
    async with database.session() as session:
        return await CheckRepository(session).results()


async def test_full_check_ends_with_result_chart_and_report(driver: Driver) -> None:
    await start(driver)
    turn = await answer_all(driver)
    html = text(turn)
    assert "Ergebnis" in html
    assert "Musterhausen" in html
    assert "Gesamtstufe 2 – <b>Im Aufbau</b> (Score 2,0 von 4 · 50 %)" in html
    assert "▰▰▰▱▱ 2,0 Im Aufbau" in html
    assert "Ihr nächster Baustein:" in html
    assert "Mobilität" in html
    photo = next(r.photo for r in turn.replies if r.photo is not None)
    assert photo.content.startswith(b"\x89PNG")
    documents = {r.document.filename: r.document for r in turn.replies if r.document is not None}
    stem = "digitalisierungs-check-musterhausen-"
    (pdf,) = [d for name, d in documents.items() if name.startswith(stem) and name.endswith(".pdf")]
    assert pdf.content.startswith(b"%PDF-")
    (html_file,) = [d for name, d in documents.items() if name.endswith(".html")]
    report = html_file.content.decode()
    assert "Musterhausen" in report
    assert "Version 2025.1" in report
    assert "C (2) – Eine Strategie wird gerade erarbeitet." in report


async def test_progress_and_help_are_shown_for_each_question(driver: Driver) -> None:
    await start(driver)
    turn = await driver.press("Hilfe")
    assert turn.toast
    assert "Papier" in turn.toast
    for _ in range(4):
        turn = await driver.press("B")
    assert "Themenfeld 1 von 8 geschafft" in text(turn)
    assert "Frage 5 von 30</b> · Online-Dienste &amp; OZG" in text(turn)


async def test_free_text_while_a_button_is_expected_gets_a_hint_and_the_question_again(
    driver: Driver,
) -> None:
    await start(driver)
    turn = await driver.say("erledigt")  # a question is answered instead: test_check_flow_asides
    assert "Schaltflächen" in turn.replies[0].html
    assert "Frage 1 von 30" in turn.replies[1].html
    assert turn.replies[1].buttons


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("<b>Musterhausen</b>", id="markup"),
        pytest.param("M" * 81, id="too-long"),
        pytest.param("x", id="too-short"),
        pytest.param("Ort_mit_Unterstrich", id="underscore"),
    ],
)
async def test_bad_municipality_name_is_refused_kindly(driver: Driver, name: str) -> None:
    await driver.say("/check")
    turn = await driver.say(name)
    assert "kann ich leider nicht übernehmen" in text(turn)
    turn = await driver.say("Weil der Stadt")
    assert "Weil der Stadt" in text(turn)


async def test_double_press_records_one_answer(driver: Driver, sqlite_database: Database) -> None:
    await start(driver)
    first = driver.buttons["C"]
    await driver.press_data(first)
    again = await driver.press_data(first)
    assert again.toast == "Ihre Antwort ist bereits gespeichert."
    async with sqlite_database.session() as session:
        repository = CheckRepository(session)
        open_session = await repository.unfinished(USER)
        assert open_session is not None
        assert await repository.answers(open_session.id) == {"S1": 2}


async def test_old_question_pressed_with_another_answer_is_refused_politely(
    driver: Driver, sqlite_database: Database
) -> None:
    await start(driver)
    old = driver.buttons["A"]
    await driver.press("C")
    turn = await driver.press_data(old)
    assert turn.toast is not None
    assert "Zurück" in turn.toast
    turn = await driver.press("Zurück")
    assert "Frage 1 von 30" in text(turn)
    assert "✓ C" in driver.buttons
    await driver.press("A")
    async with sqlite_database.session() as session:
        repository = CheckRepository(session)
        open_session = await repository.unfinished(USER)
        assert open_session is not None
        assert (await repository.answers(open_session.id))["S1"] == 0


async def test_weiss_nicht_is_stored_as_no_value(driver: Driver, sqlite_database: Database) -> None:
    await start(driver)
    await driver.press("Weiß nicht")
    async with sqlite_database.session() as session:
        repository = CheckRepository(session)
        open_session = await repository.unfinished(USER)
        assert open_session is not None
        assert await repository.answers(open_session.id) == {"S1": None}


async def test_resume_after_restart_continues_at_next_question(
    driver: Driver, engine: Engine, stores: Stores
) -> None:
    await start(driver)
    for _ in range(6):
        await driver.press("D")
    await driver.press("Pause")
    fresh = Driver(engine, USER)  # no state in memory: everything comes from the database
    turn = await fresh.say("/weiter")
    assert "Frage 7 von 30" in text(turn)
    turn = await answer_all(fresh, "D", start_at=7)
    assert "Gesamtstufe 3" in text(turn)


async def test_paused_check_lets_free_text_go_to_the_knowledge_base(driver: Driver) -> None:
    await start(driver)
    await driver.press("Pause")
    turn = await driver.say("Was ist das OZG?")
    assert "Schaltflächen" not in text(turn)


async def test_start_while_open_offers_to_continue_or_restart(driver: Driver) -> None:
    await start(driver)
    await driver.press("B")
    turn = await driver.say("/check")
    assert "Frage 2 von 30" in text(turn)
    turn = await driver.press("Fortsetzen")
    assert "Frage 2 von 30" in text(turn)


async def test_cancel_needs_confirmation(driver: Driver) -> None:
    await start(driver)
    await driver.say("/abbrechen")
    turn = await driver.press("Nein, weitermachen")
    assert "bleibt offen" in text(turn)
    await driver.say("/abbrechen")
    turn = await driver.press("Ja, Check abbrechen")
    assert "abgebrochen" in text(turn)
    turn = await driver.say("/weiter")
    assert "keinen offenen Check" in text(turn)


async def test_another_users_button_and_forged_data_are_refused(
    driver: Driver, engine: Engine, stores: Stores
) -> None:
    await start(driver)
    await stores.users.touch_user(OTHER, OTHER)
    intruder = Driver(engine, OTHER)
    turn = await intruder.press_data(driver.buttons["C"])
    assert turn.toast == "Dieser Check gehört nicht zu Ihrem Konto."
    huge, wider = "9" * 20, str(2**31)
    for forged in (
        *("ck:a:1:999:2", "ck:a:x:5:1", "ck:a:1:5:9", "ck:zz:1", "ck:a:1:5:2:9"),
        *(f"ck:a:{huge}:5:2", f"ck:a:1:{huge}:2", f"ck:a:1:5:{huge}", f"ck:a:{wider}:5:2"),
        *(f"ck:c:{huge}", f"ck:r:{huge}", f"ck:c:{wider}", "ck:c:0", f"ck:p:1:{wider}:1"),
    ):
        turn = await driver.press_data(forged)
        assert turn.toast is not None
        assert not turn.replies


async def test_finished_check_buttons_are_refused(driver: Driver) -> None:
    await start(driver)
    await answer_all(driver)
    turn = await driver.press_data("ck:a:1:5:1")
    assert turn.toast == "Dieser Check ist bereits beendet."


async def test_second_check_of_same_municipality_shows_the_change(driver: Driver) -> None:
    await start(driver)
    await answer_all(driver, "B")
    await start(driver, name="musterhausen")
    turn = await answer_all(driver, "D")
    assert "Veränderung seit dem letzten Check" in text(turn)
    assert "Gesamt 1,0 → 3,0 (+2,0)" in text(turn)


@pytest.mark.parametrize(("peers", "shown"), [(9, False), (10, True)])
async def test_size_class_comparison_needs_ten_results(
    driver: Driver, sqlite_database: Database, stores: Stores, peers: int, shown: bool
) -> None:
    await _store_peer_results(sqlite_database, stores, peers)
    await start(driver)
    turn = await answer_all(driver)
    assert ("Kommunen Ihrer Größenklasse" in text(turn)) is shown
    if shown:
        assert "(10 Ergebnisse) liegen im Median bei 1,5" in text(turn)


async def _store_peer_results(database: Database, stores: Stores, count: int) -> None:
    for index in range(count):
        await stores.users.touch_user(10_000 + index, 10_000 + index)
        async with database.session() as session:
            repository = CheckRepository(session)
            record = await repository.start(10_000 + index, "2025.1")
            await repository.save_result(
                CheckResultRecord(
                    record.id,
                    f"Ort {index}",
                    f"ort {index}",
                    1,
                    "2025.1",
                    1.0 + index % 2,
                    1,
                    {},
                    datetime(2025, 1, 1, tzinfo=UTC),
                )
            )
            await repository.set_status(record.id, "finished")


async def test_export_is_for_admins_and_contains_no_telegram_ids(
    driver: Driver, engine: Engine
) -> None:
    await start(driver)
    await answer_all(driver)
    turn = await driver.say("/checkexport")
    assert "Administratoren" in text(turn)
    admin = Driver(engine, USER, admin=True)
    turn = await admin.say("/checkexport")
    document = turn.replies[0].document
    assert document is not None
    rows = list(csv.reader(io.StringIO(document.content.decode())))
    assert rows[0][:6] == ["municipality", "date", "version", "size_class", "overall", "level"]
    assert rows[1][0] == "Musterhausen"
    assert rows[1][4] == "2.00"
    assert str(USER) not in document.content.decode()
