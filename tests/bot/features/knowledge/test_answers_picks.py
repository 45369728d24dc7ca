"""Picks after suggestions, "Oder …" buttons and 👎, recorded pseudonymously through the engine."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming, Turn
from bot.stores.bundle import Stores
from storage import Database
from storage.editorial.models import QuestionPick
from storage.editorial.repository import PickRepository
from storage.models import QuestionLogEntry
from storage.privacy import pseudonym

USER = 4713
SUGGESTED = "Lotsen"  # "Meinten Sie …?" offers digitallotsen-zahlen
WITH_ALTERNATIVE = "Förderung"  # answered, "Oder …" foerderung-aktuell


def say(text: str, user: int = USER) -> Incoming:
    return Incoming(user, user, text=text)


def press(data: str, user: int = USER) -> Incoming:
    return Incoming(user, user, button=data)


def buttons(turn: Turn) -> list[str]:
    return [button.data for reply in turn.replies for row in reply.buttons for button in row]


async def picks_of(database: Database, user: int = USER) -> list[dict[str, object]]:
    async with database.session() as session:
        return await PickRepository(session).for_user(pseudonym(user, "test-secret"))


async def pick_count(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(QuestionPick)) or 0)


async def test_a_suggestion_picked_after_a_question_is_recorded_for_it(
    engine: Engine, sqlite_database: Database
) -> None:
    """The entry chosen from "Meinten Sie …?" is tied to the question, as a suggestion pick."""
    asked = await engine.handle(say(SUGGESTED))
    assert "k:digitallotsen-zahlen" in buttons(asked)

    await engine.handle(press("k:digitallotsen-zahlen"))

    assert [(p["question"], p["entry_id"], p["kind"]) for p in await picks_of(sqlite_database)] == [
        (SUGGESTED, "digitallotsen-zahlen", "suggest")
    ]


async def test_an_oder_button_under_an_answer_is_recorded_as_a_pick(
    engine: Engine, sqlite_database: Database
) -> None:
    """Pressing "Oder: …" corrects the answer above it."""
    asked = await engine.handle(say(WITH_ALTERNATIVE))
    assert "k:foerderung-aktuell:o" in buttons(asked)

    await engine.handle(press("k:foerderung-aktuell:o"))

    assert [(p["entry_id"], p["kind"]) for p in await picks_of(sqlite_database)] == [
        ("foerderung-aktuell", "suggest")
    ]


async def test_a_related_button_under_a_good_answer_is_no_pick(
    engine: Engine, sqlite_database: Database
) -> None:
    """Browsing on from an answer the user did not reject says nothing about the question."""
    await engine.handle(say(WITH_ALTERNATIVE))

    await engine.handle(press("k:foerderung-aktuell"))

    assert await picks_of(sqlite_database) == []


async def test_a_down_vote_followed_by_a_rephrased_question_records_the_new_answer(
    engine: Engine, sqlite_database: Database
) -> None:
    """👎 on an answer, then asking again: the entry that answered the rephrasing corrects it."""
    first = await engine.handle(say(WITH_ALTERNATIVE))
    down = next(data for data in buttons(first) if data.endswith(":down"))
    await engine.handle(press(down))

    await engine.handle(say("Wie viele Lotsen gibt es?"))

    assert [(p["question"], p["entry_id"], p["kind"]) for p in await picks_of(sqlite_database)] == [
        (WITH_ALTERNATIVE, "digitallotsen-zahlen", "down")
    ]


async def test_a_pick_appears_in_meinedaten_and_goes_with_loeschen(
    engine: Engine, sqlite_database: Database
) -> None:
    """The user reads the pick in the export; erasure removes it and says so."""
    await engine.handle(say(SUGGESTED))
    await engine.handle(press("k:digitallotsen-zahlen"))

    exported = await engine.handle(say("/meinedaten"))
    document = exported.replies[0].document
    assert document is not None
    data = json.loads(document.content)
    picks = data["Gewählte Einträge nach einer Frage (pseudonym)"]
    shown = [(p["Frage"], p["Gewählter Eintrag"]) for p in picks]
    assert shown == [(SUGGESTED, "digitallotsen-zahlen")]

    done = await engine.handle(press("del:yes"))

    assert "Gewählte Einträge nach einer Frage (pseudonym): 1" in done.replies[0].html
    assert await pick_count(sqlite_database) == 0


async def test_a_pick_is_purged_with_its_question(
    engine: Engine, stores: Stores, sqlite_database: Database
) -> None:
    """Past the retention the question goes, and its pick with it."""
    await engine.handle(say(SUGGESTED))
    await engine.handle(press("k:digitallotsen-zahlen"))
    async with sqlite_database.session() as session:
        old = datetime.now(UTC) - timedelta(days=120)
        await session.execute(update(QuestionLogEntry).values(created_at=old))

    assert await stores.stats.purge_expired() == 1
    assert await pick_count(sqlite_database) == 0
