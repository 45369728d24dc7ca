"""/pruefen and /neuladen through the engine, on an editable copy of the content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.app.compose import EngineParts, wire_engine
from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.features.editorial.feature import REVIEW_SHOWN, EditorialFeature, ReloadResult
from bot.features.knowledge.live import ContentReloader
from bot.features.knowledge.loading import load_knowledge
from bot.settings import Settings
from bot.stores.bundle import Stores
from bot.stores.knowledge import content_version
from knowledge.markup import validate_html
from storage import Database
from tests.bot import kb_copy
from tests.bot.conftest import embedded_nlu

TEXTS = load_texts()
ADMIN, USER = 1, 4711


def say(text: str, *, admin: bool = False, group: bool = False) -> Incoming:
    sender = ADMIN if admin else USER
    link = "https://t.me/digilotse_bot?start=gruppe" if group else None
    return Incoming(
        sender, -100 if group else sender, text=text, is_admin=admin, private_chat_link=link
    )


def html(turn: Turn) -> str:
    return "\n".join(reply.html for reply in turn.replies)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A copy of the real content files, editable by the test."""
    return kb_copy.copy_kb(tmp_path)


@pytest.fixture
def wired(
    kb_dir: Path, stores: Stores, sqlite_database: Database
) -> tuple[Engine, ContentReloader]:
    """The engine as the adapters wire it, reading content from ``kb_dir``."""
    settings = Settings(pseudonym_secret="test-secret", kb_dir=kb_dir)
    texts = load_texts()
    parts = EngineParts(settings, sqlite_database, stores, texts, embedded_nlu(), stores.questions)
    return wire_engine(parts, load_knowledge(kb_dir), seen=0)


@pytest.fixture
def engine(wired: tuple[Engine, ContentReloader]) -> Engine:
    """Just the engine of ``wired``."""
    return wired[0]


class TestReview:
    async def test_pruefen_lists_an_entry_due_within_30_days_with_its_source(
        self, kb_dir: Path, engine: Engine
    ) -> None:
        """The editor sees title, date and source of what to check this month."""
        kb_copy.add_entry(kb_dir, review_in_days=10)
        await engine.handle(say("/neuladen", admin=True))

        turn = await engine.handle(say("/pruefen", admin=True))

        text = html(turn)
        assert "Redaktionsschluss des Lotsen-Rundbriefs" in text
        assert kb_copy.NEW_SOURCE in text
        assert all(validate_html(reply.html) == [] for reply in turn.replies)

    async def test_pruefen_leaves_out_an_entry_due_in_60_days(
        self, kb_dir: Path, engine: Engine
    ) -> None:
        """Only what falls due within 30 days is on this month's list."""
        kb_copy.add_entry(kb_dir, review_in_days=60)
        await engine.handle(say("/neuladen", admin=True))

        assert "Lotsen-Rundbrief" not in html(await engine.handle(say("/pruefen", admin=True)))

    async def test_an_overdue_entry_does_not_block_the_reload_and_is_marked_overdue(
        self, kb_dir: Path, engine: Engine
    ) -> None:
        """A passed review date only warns: the entry is served and heads the list as overdue."""
        kb_copy.add_entry(kb_dir, review_in_days=-5)

        done = html(await engine.handle(say("/neuladen", admin=True)))
        listed = html(await engine.handle(say("/pruefen", admin=True)))

        assert "neu geladen" in done
        assert "/pruefen" in done
        assert "⚠️ <b>Redaktionsschluss des Lotsen-Rundbriefs</b>" in listed
        assert "ist abgelaufen" in listed


class TestReload:
    async def test_neuladen_answers_the_next_question_from_the_edited_files(
        self, kb_dir: Path, wired: tuple[Engine, ContentReloader], sqlite_database: Database
    ) -> None:
        """The admin reloads; the entry added meanwhile answers the next user, and the row rises."""
        engine, _ = wired
        kb_copy.add_entry(kb_dir)

        done = html(await engine.handle(say("/neuladen", admin=True)))

        assert "neu geladen" in done
        assert kb_copy.NEW_ANSWER in html(await engine.handle(say(kb_copy.NEW_QUESTION)))
        assert await content_version(sqlite_database) == 1

    async def test_neuladen_with_broken_yaml_names_file_and_line_and_keeps_answering(
        self, kb_dir: Path, engine: Engine, sqlite_database: Database
    ) -> None:
        """The admin learns where the file is wrong; users still get the old content."""
        kb_copy.edit_entry(kb_dir)
        kb_copy.break_yaml(kb_dir)

        turn = await engine.handle(say("/neuladen", admin=True))

        refused = html(turn)
        assert "abgelehnt" in refused
        assert f"<code>{kb_copy.NEW_FILE}:{kb_copy.BROKEN_LINE}</code>" in refused
        assert all(validate_html(reply.html) == [] for reply in turn.replies)
        assert kb_copy.OLD_TEXT in html(await engine.handle(say(kb_copy.EDITED_QUESTION)))
        assert await content_version(sqlite_database) == 0


class TestRefusals:
    @pytest.mark.parametrize("command", ["/pruefen", "/neuladen"])
    async def test_non_admins_are_refused_and_nothing_is_reloaded(
        self, kb_dir: Path, engine: Engine, sqlite_database: Database, command: str
    ) -> None:
        """A polite refusal; the files edited meanwhile stay unloaded."""
        kb_copy.add_entry(kb_dir)

        assert html(await engine.handle(say(command))) == TEXTS["admin_only"]
        assert kb_copy.NEW_ANSWER not in html(await engine.handle(say(kb_copy.NEW_QUESTION)))
        assert await content_version(sqlite_database) == 0

    async def test_neuladen_in_a_group_points_to_the_private_chat(
        self, kb_dir: Path, engine: Engine
    ) -> None:
        """Editor commands are answered in the private chat only, even for admins."""
        kb_copy.add_entry(kb_dir)

        reply = html(await engine.handle(say("/neuladen", admin=True, group=True)))

        assert "start=gruppe" in reply
        assert kb_copy.NEW_ANSWER not in html(await engine.handle(say(kb_copy.NEW_QUESTION)))


class TestReviewLength:
    async def test_a_long_review_list_is_cut_after_15_entries_and_points_to_the_csv(self) -> None:
        """When everything is due, Telegram gets the 15 earliest and a pointer, not 30 messages."""
        base = load_knowledge()

        class Content:
            entries = base.entries

            async def reload_everywhere(self) -> ReloadResult:
                raise AssertionError("not reloaded by /pruefen")

        late = dt.date(2030, 1, 1)  # after every review_by of the real base
        feature = EditorialFeature(Content(), TEXTS, today=lambda: late)

        turn = await feature.on_command(say("/pruefen", admin=True), "pruefen", "")

        text = html(turn)
        assert text.count("ist abgelaufen") == REVIEW_SHOWN
        assert f"… und {len(base.entries) - REVIEW_SHOWN} weitere" in text
        assert len(turn.replies) <= 6
        assert all(validate_html(reply.html) == [] for reply in turn.replies)
