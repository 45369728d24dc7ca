"""Content that changes without a restart: reload, refusal of broken files, replicas following."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
from pathlib import Path

import pytest

from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.features.knowledge.live import (
    ContentReloader,
    LiveKnowledge,
    close_build_pool,
    live_knowledge,
    start_build_process,
)
from bot.features.knowledge.loading import load_knowledge
from bot.stores.knowledge import DatabaseContentVersions
from nlu.types import IntentScore, ParseResult
from storage import Database
from storage.editorial.repository import ContentVersionRepository
from tests.bot import kb_copy
from tests.orphans import kill_bot, outliving

TEXTS = load_texts()
USER = 4711


def ask(question: str) -> tuple[Incoming, ParseResult]:
    parse = ParseResult(question, IntentScore("ask_knowledge", 0.9), (), ())
    return Incoming(USER, USER, text=question), parse


def html(turn: Turn) -> str:
    return "\n".join(reply.html for reply in turn.replies)


async def answer(live: LiveKnowledge, question: str) -> str:
    return html(await live.on_intent(*ask(question)))


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A copy of the real content files, editable by the test."""
    return kb_copy.copy_kb(tmp_path)


def live_on(kb_dir: Path) -> LiveKnowledge:
    return live_knowledge(load_knowledge(kb_dir), TEXTS, kb_dir=kb_dir)


def _tracked(obj: object) -> bool:
    """Whether the cyclic collector's generations hold ``obj`` (frozen ones are left out)."""
    return any(o is obj for o in gc.get_objects())


async def test_reloaded_content_is_kept_out_of_the_collectors_full_scans(kb_dir: Path) -> None:
    """The new index is frozen after the swap: full collections no longer scan it (each one
    stalled every user for 50–80 ms while a reload's objects were being made)."""
    live = live_on(kb_dir)
    try:
        assert (await live.reload()).ok
        index = live.version.knowledge.retriever

        assert gc.get_freeze_count() > 0
        assert not _tracked(index)
    finally:
        gc.unfreeze()  # the rest of the suite runs with a normal collector


class TestReload:
    async def test_reload_answers_with_an_edited_entry_not_the_cached_answer(
        self, kb_dir: Path
    ) -> None:
        """The old answer was cached; after the edit and a reload the new text is answered."""
        live = live_on(kb_dir)
        assert kb_copy.OLD_TEXT in await answer(live, kb_copy.EDITED_QUESTION)
        kb_copy.edit_entry(kb_dir)

        result = await live.reload()

        assert result.ok
        assert kb_copy.NEW_TEXT in await answer(live, kb_copy.EDITED_QUESTION)

    async def test_reload_answers_a_question_with_an_entry_added_to_the_files(
        self, kb_dir: Path
    ) -> None:
        """A question that found nothing is answered by the new entry after the reload."""
        live = live_on(kb_dir)
        before = len(live.entries)
        assert kb_copy.NEW_ANSWER not in await answer(live, kb_copy.NEW_QUESTION)
        kb_copy.add_entry(kb_dir)

        result = await live.reload()

        assert (result.ok, result.entries) == (True, before + 1)
        assert kb_copy.NEW_ANSWER in await answer(live, kb_copy.NEW_QUESTION)

    async def test_invalid_yaml_keeps_the_old_version_and_names_file_and_line(
        self, kb_dir: Path
    ) -> None:
        """A broken file refuses the whole reload; the old entries keep answering."""
        live = live_on(kb_dir)
        old = live.version
        kb_copy.edit_entry(kb_dir)
        kb_copy.break_yaml(kb_dir)

        result = await live.reload()

        assert not result.ok
        where = [(p.location.path.name, p.location.line) for p in result.problems]
        assert where == [(kb_copy.NEW_FILE, kb_copy.BROKEN_LINE)]
        assert live.version is old
        assert kb_copy.OLD_TEXT in await answer(live, kb_copy.EDITED_QUESTION)

    async def test_an_empty_directory_is_refused(self, kb_dir: Path, tmp_path: Path) -> None:
        """A wrong KB_DIR must not empty a running bot."""
        live = live_knowledge(load_knowledge(kb_dir), TEXTS, kb_dir=tmp_path / "leer")
        (tmp_path / "leer").mkdir()

        result = await live.reload()

        assert not result.ok
        assert len(live.entries) == len(load_knowledge(kb_dir).entries)

    async def test_questions_during_a_reload_get_the_old_or_the_new_answer_never_an_error(
        self, kb_dir: Path
    ) -> None:
        """The index is built off the event loop; every question meanwhile gets a whole answer."""
        live = live_on(kb_dir)
        kb_copy.edit_entry(kb_dir)
        reload = asyncio.create_task(live.reload())
        answers: list[str] = []
        while not reload.done():
            answers.append(await answer(live, kb_copy.EDITED_QUESTION))
            await asyncio.sleep(0)

        assert (await reload).ok
        answers.append(await answer(live, kb_copy.EDITED_QUESTION))
        assert len(answers) > 2, "the event loop was blocked during the reload"
        assert all((kb_copy.OLD_TEXT in a) != (kb_copy.NEW_TEXT in a) for a in answers)
        assert kb_copy.OLD_TEXT in answers[0]
        assert kb_copy.NEW_TEXT in answers[-1]


class TestReplicas:
    async def test_a_replica_follows_a_reload_made_by_another(
        self, kb_dir: Path, database: Database
    ) -> None:
        """A reloads and raises the version; B's next poll reloads, the one after does not."""
        first = ContentReloader(live_on(kb_dir), DatabaseContentVersions(database), seen=0)
        second = ContentReloader(live_on(kb_dir), DatabaseContentVersions(database), seen=0)
        kb_copy.add_entry(kb_dir)

        assert (await first.reload_everywhere()).ok
        followed = await second.poll()

        assert followed is not None
        assert followed.ok
        assert kb_copy.NEW_ANSWER in await answer(second.live, kb_copy.NEW_QUESTION)
        assert await second.poll() is None
        assert await first.poll() is None

    async def test_a_version_raised_with_broken_files_is_refused_once_then_waits(
        self, kb_dir: Path, database: Database
    ) -> None:
        """``kb reload`` raised the version but the files broke: keep answering, do not retry."""
        replica = ContentReloader(live_on(kb_dir), DatabaseContentVersions(database), seen=0)
        kb_copy.break_yaml(kb_dir)
        async with database.session() as session:
            await ContentVersionRepository(session).bump()

        refused = await replica.poll()

        assert refused is not None
        assert not refused.ok
        assert await replica.poll() is None
        assert kb_copy.OLD_TEXT in await answer(replica.live, kb_copy.EDITED_QUESTION)


def child_processes() -> set[int | None]:
    """This process's children (other tests' process pools may have some running already)."""
    return {process.pid for process in multiprocessing.active_children()}


class TestBuildProcess:
    async def test_a_started_build_process_serves_the_first_reload(self, kb_dir: Path) -> None:
        """Started ahead (as the bot does after start-up), the first reload needs no new one."""
        live = live_on(kb_dir)
        close_build_pool()
        others = child_processes()
        live.start_build_process()
        started = child_processes() - others
        start_build_process(kb_dir)  # a second start keeps the running process

        result = await live.reload()

        assert result.ok
        assert len(started) == 1
        assert child_processes() - others == started

    async def test_closing_the_build_pool_leaves_no_process(self, kb_dir: Path) -> None:
        """At shutdown the build process ends; a later reload starts a new one."""
        live = live_on(kb_dir)
        close_build_pool()
        others = child_processes()
        assert (await live.reload()).ok
        assert child_processes() - others

        close_build_pool()

        assert child_processes() - others == set()
        assert (await live.reload()).ok


KILLED_BOT = """
import multiprocessing, sys, time
from pathlib import Path
from bot.features.knowledge.live import start_build_process
start_build_process(Path(sys.argv[1]))
print(multiprocessing.active_children()[0].pid, flush=True)
time.sleep(600)
"""


def test_the_build_process_ends_when_the_bot_is_killed(tmp_path: Path) -> None:
    """After ``kill -9`` of the bot nothing stops its build process: it must end by itself."""
    workers = kill_bot(KILLED_BOT, str(tmp_path))

    assert not outliving(workers, 30), "the build process outlived the bot"
