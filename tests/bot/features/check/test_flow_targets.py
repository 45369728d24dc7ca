"""Per-dimension targets in the check, through the real engine on SQLite."""

from __future__ import annotations

import pytest

from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.stores.bundle import Stores
from storage import Database
from storage.check.repository import CheckRepository
from tests.bot.check_driver import USER, Driver, answer_all, start, text

OWN_TARGETS = (3, 2, 2, 4, 2, 2, 2, 2)  # questionnaire order; "it" (4th) aims highest
INVALID = load_texts()["invalid_button"]


@pytest.fixture
async def driver(engine: Engine, stores: Stores) -> Driver:
    await stores.users.touch_user(USER, USER)
    return Driver(engine, USER)


async def choose_each(driver: Driver) -> None:
    await start(driver)
    await answer_all(driver, "C", finish=False)
    turn = await driver.press("Ja, einzeln")
    assert "Ziel je Themenfeld</b> · 1 von 8" in text(turn)
    assert "„Strategie &amp; Steuerung“" in text(turn)


async def test_own_targets_set_gaps_priorities_and_the_stored_result(
    driver: Driver, sqlite_database: Database
) -> None:
    """Each dimension is measured against its own target, and the targets are stored."""
    await choose_each(driver)
    for level in OWN_TARGETS:
        turn = await driver.press(f"Stufe {level}")
    html = text(turn)
    assert "1. <b>IT &amp; Informationssicherheit</b>" in html
    assert "2. <b>Strategie &amp; Steuerung</b>" in html
    assert "3. <b>" not in html
    report = next(
        r.document for r in turn.replies if r.document and r.document.filename.endswith(".html")
    )
    assert "7 Themenfelder mit eigenem Ziel" in report.content.decode()
    async with sqlite_database.session() as session:
        (result,) = await CheckRepository(session).results()
    assert result.targets is not None
    assert [result.targets[d] for d in result.dimensions] == list(OWN_TARGETS)


async def test_same_target_for_all_skips_the_dimension_steps(
    driver: Driver, sqlite_database: Database
) -> None:
    """ "Nein, alle gleich" finishes at once with the overall target everywhere."""
    await start(driver)
    turn = await answer_all(driver, "C")
    assert "Gesamtstufe 2" in text(turn)
    async with sqlite_database.session() as session:
        (result,) = await CheckRepository(session).results()
    assert set((result.targets or {}).values()) == {3}


async def test_dimension_targets_resume_after_pause_where_they_stopped(
    driver: Driver, engine: Engine
) -> None:
    """Targets already chosen are kept in the database and /weiter continues after them."""
    await choose_each(driver)
    await driver.press("Stufe 4")
    await driver.press("Stufe 2")
    await driver.press("Pause")
    fresh = Driver(engine, USER)
    turn = await fresh.say("/weiter")
    assert "Ziel je Themenfeld</b> · 3 von 8" in text(turn)
    turn = await fresh.press("Zurück")
    assert "✓ Stufe 2" in fresh.buttons


async def test_forged_and_stale_target_presses_are_refused(driver: Driver) -> None:
    """Levels outside 1–4, modes other than 0/1 and old target buttons change nothing."""
    await choose_each(driver)
    first = driver.buttons["Stufe 4"]
    prefix, position = first.rsplit(":", 2)[0], int(first.split(":")[3])
    for data in (f"{prefix}:{position}:0", f"{prefix}:{position}:5", f"{prefix}:{position}:x"):
        turn = await driver.press_data(data)
        assert turn.toast == INVALID
        assert not turn.replies
    turn = await driver.press("Stufe 4")
    assert "Ziel je Themenfeld</b> · 2 von 8" in text(turn)
    assert (await driver.press_data(first)).toast == "Ihre Antwort ist bereits gespeichert."
    for stale in (f"{prefix}:{position}:2", f"{prefix}:{position - 1}:0"):
        turn = await driver.press_data(stale)
        assert turn.toast is not None
        assert "Zurück" in turn.toast
        assert not turn.replies
