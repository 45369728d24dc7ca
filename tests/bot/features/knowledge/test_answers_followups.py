"""Follow-up questions in the bot: read against the entry shown last, in private chats only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.dialogue import callbacks
from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming, Turn
from bot.features.knowledge.answers import SHOW
from bot.stores.bundle import Stores
from bot.stores.shown import FOLLOW_UP_WINDOW
from storage import Database, StateRepository
from tests.bot.conftest import knowledge

USER = 4911
GROUP_LINK = "https://t.me/digilotse_bot"
FIRST = "Was war die erste Runde von Future Communities?"
THEN = "und die zweite?"


def say(text: str, *, group: bool = False) -> Incoming:
    chat = -100 if group else USER
    return Incoming(USER, chat, text=text, private_chat_link=GROUP_LINK if group else None)


def title(entry_id: str) -> str:
    return knowledge().entries[entry_id].title


def first_html(turn: Turn) -> str:
    return turn.replies[0].html


async def test_a_short_follow_up_is_answered_from_the_neighbour_of_the_entry_shown(
    engine: Engine, stores: Stores
) -> None:
    await stores.users.touch_user(USER, USER)
    assert title("future-communities-runde-1") in first_html(await engine.handle(say(FIRST)))
    turn = await engine.handle(say(THEN))
    assert title("future-communities-runde-2") in first_html(turn)


async def test_the_same_follow_up_without_a_previous_answer_is_not_read_as_one(
    engine: Engine, stores: Stores
) -> None:
    await stores.users.touch_user(USER, USER)
    turn = await engine.handle(say(THEN))
    assert title("future-communities-runde-2") not in first_html(turn)


async def test_an_entry_opened_by_button_is_what_the_follow_up_refers_to(
    engine: Engine, stores: Stores
) -> None:
    await stores.users.touch_user(USER, USER)
    press = callbacks.encode(SHOW, "future-communities-runde-1")
    await engine.handle(Incoming(USER, USER, button=press))
    turn = await engine.handle(say(THEN))
    assert title("future-communities-runde-2") in first_html(turn)


async def test_a_question_that_stands_alone_ignores_the_entry_shown_before(
    engine: Engine, stores: Stores
) -> None:
    await stores.users.touch_user(USER, USER)
    await engine.handle(say(FIRST))
    turn = await engine.handle(say("Was regelt das Onlinezugangsgesetz?"))
    assert "Onlinezugangsgesetz" in first_html(turn)
    assert "Future Communities" not in first_html(turn)


async def test_group_chats_keep_no_context(engine: Engine, stores: Stores) -> None:
    await stores.users.touch_user(USER, USER)
    await engine.handle(say(FIRST, group=True))
    assert await stores.shown.last_shown(USER) is None


async def test_the_entry_shown_is_forgotten_after_the_follow_up_window(
    engine: Engine, stores: Stores, sqlite_database: Database
) -> None:
    await stores.users.touch_user(USER, USER)
    await engine.handle(say(FIRST))
    assert await stores.shown.last_shown(USER) == "future-communities-runde-1"
    old = datetime.now(UTC) - FOLLOW_UP_WINDOW - timedelta(minutes=1)
    async with sqlite_database.session() as session:
        state = {"shown": "future-communities-runde-1", "shown_at": old.isoformat()}
        await StateRepository(session).save(USER, state)
    assert await stores.shown.last_shown(USER) is None


async def test_the_entry_shown_is_in_the_readable_export_and_erased_with_the_data(
    engine: Engine, stores: Stores
) -> None:
    await stores.users.touch_user(USER, USER)
    await engine.handle(say(FIRST))
    turn = await engine.handle(say("/meinedaten"))
    document = next(r.document for r in turn.replies if r.document is not None)
    state = json.loads(document.content)["Stand eines laufenden Dialogs"]
    assert state["Zuletzt gezeigter Eintrag (für Rückfragen, 30 Minuten)"] == (
        "future-communities-runde-1"
    )
    assert state["Gezeigt am"].endswith(" Uhr")
    await stores.user_data.delete(USER)
    assert await stores.shown.last_shown(USER) is None
