"""/luecken as a work queue through the engine: clusters, decisions, learned questions live."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.features.knowledge.loading import load_knowledge
from bot.settings import Settings
from bot.stores.bundle import Stores
from bot.stores.knowledge import content_version, learned_questions
from knowledge.markup import validate_html
from storage import Database
from storage.editorial.models import GapDecision, LearnedQuestion
from tests.bot.conftest import embedded_nlu

TEXTS = load_texts()
ADMIN, ASKER, OTHER = 1, 4801, 4802
QUESTION = "Wo finde ich das Anmeldeblatt?"  # abstains; digitallotsen-anmeldung is a likely entry
ENTRY = "digitallotsen-anmeldung"


def say(text: str, user: int = ASKER, *, admin: bool = False) -> Incoming:
    return Incoming(user, user, text=text, is_admin=admin)


def press(data: str, *, admin: bool = True) -> Incoming:
    user = ADMIN if admin else OTHER
    return Incoming(user, user, button=data, is_admin=admin)


def buttons(turn: Turn) -> list[str]:
    return [b.data for reply in turn.replies for row in reply.buttons for b in row]


async def restarted(stores: Stores, database: Database) -> Engine:
    """An engine built as at start: files plus the learned questions from the database."""
    settings = Settings(pseudonym_secret="test-secret")
    parts = EngineParts(settings, database, stores, TEXTS, embedded_nlu(), stores.questions)
    knowledge = load_knowledge(settings.kb_dir, await learned_questions(database))
    return wire_engine(parts, knowledge, await content_version(database))[0]


async def count(database: Database, model: type[object]) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def answered_with(engine: Engine, user: int) -> list[str]:
    return [data for data in buttons(await engine.handle(say(QUESTION, user))) if "f:" in data]


async def test_luecken_lists_the_cluster_with_its_likely_entries_as_buttons(
    engine: Engine,
) -> None:
    """Two users asking alike make one cluster of two, with accept, new-entry and ignore."""
    await engine.handle(say(QUESTION))
    await engine.handle(say("Wo finde ich das Anmeldeblatt", OTHER))

    turn = await engine.handle(say("/luecken", admin=True))

    assert "<b>2×</b> „Wo finde ich das Anmeldeblatt" in turn.replies[1].html
    data = buttons(turn)
    assert any(d.startswith("g:a:") and d.endswith(f":{ENTRY}") for d in data)
    assert any(d.startswith("g:n:") for d in data)
    assert any(d.startswith("g:i:") for d in data)
    assert all(len(d.encode()) <= 64 for d in data)
    assert all(validate_html(reply.html) == [] for reply in turn.replies)


async def test_an_accepted_question_answers_the_next_user_without_a_restart_and_after_one(
    engine: Engine, stores: Stores, sqlite_database: Database
) -> None:
    """Abstained, accepted from /luecken, then answered by that entry; a restart keeps it."""
    assert await answered_with(engine, ASKER) == []
    queue = await engine.handle(say("/luecken", admin=True))
    accept = next(d for d in buttons(queue) if d.startswith("g:a:") and d.endswith(ENTRY))

    done = await engine.handle(press(accept))

    assert "Übernommen" in done.replies[0].html
    assert validate_html(done.replies[0].html) == []
    assert done.replies[0].edit
    assert f"f:{ENTRY}:up" in await answered_with(engine, OTHER)
    assert f"f:{ENTRY}:up" in await answered_with(await restarted(stores, sqlite_database), OTHER)
    assert await content_version(sqlite_database) == 1
    after = await engine.handle(say("/luecken", admin=True))
    assert QUESTION not in "\n".join(reply.html for reply in after.replies)


async def test_ignore_takes_the_cluster_off_the_queue(engine: Engine) -> None:
    """An ignored cluster is not listed again."""
    await engine.handle(say(QUESTION))
    queue = await engine.handle(say("/luecken", admin=True))
    ignore = next(d for d in buttons(queue) if d.startswith("g:i:"))

    done = await engine.handle(press(ignore))

    assert "Ignoriert" in done.replies[0].html
    assert validate_html(done.replies[0].html) == []
    assert (await engine.handle(say("/luecken", admin=True))).replies[0].html == TEXTS["gaps_empty"]


async def test_a_forged_press_by_a_non_admin_is_refused_and_changes_nothing(
    engine: Engine, sqlite_database: Database
) -> None:
    """A user sending an editor's callback data gets the polite refusal; nothing is written."""
    await engine.handle(say(QUESTION))
    queue = await engine.handle(say("/luecken", admin=True))

    for data in buttons(queue):
        turn = await engine.handle(press(data, admin=False))
        assert turn.toast == TEXTS["admin_only"]

    assert await count(sqlite_database, LearnedQuestion) == 0
    assert await count(sqlite_database, GapDecision) == 0
    assert await content_version(sqlite_database) == 0


async def test_a_malformed_or_unknown_id_is_refused(engine: Engine) -> None:
    """Ids that are no row, or no number, get a toast and nothing else."""
    gone = await engine.handle(press(f"g:a:2147483647:{ENTRY}"))
    invalid = await engine.handle(press("g:i:0"))

    assert gone.toast == TEXTS["gaps_gone"]
    assert invalid.toast == TEXTS["invalid_button"]
